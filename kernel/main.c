// SPDX-License-Identifier: GPL-2.0
/* tbx.ko: the init/unwind ladder and nothing else. */
#include <linux/module.h>

#include "link.h"
#include "tbx.h"

static int __init tbx_init(void)
{
	int err;

	tbx_config_init();

	err = tbx_runs_init();
	if (err)
		return err;
	err = tbx_genl_init();
	if (err)
		goto runs;
	err = tbx_link_init();
	if (err)
		goto genl;

	pr_info("tbx %s loaded\n", TBX_VERSION);
	return 0;
genl:
	tbx_genl_exit();
runs:
	tbx_runs_exit();
	return err;
}

static void __exit tbx_exit(void)
{
	tbx_link_exit();	/* the module is unused: no tbx qdisc left */
	tbx_runs_exit();	/* stops every run, announcing each */
	tbx_genl_exit();
	pr_info("tbx unloaded\n");
}

module_init(tbx_init);
module_exit(tbx_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("tbx: testbed kit (contention load, link emulation, taps)");
MODULE_VERSION(TBX_VERSION);
MODULE_ALIAS_GENL_FAMILY(TBX_GENL_NAME);
