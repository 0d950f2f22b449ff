#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""ToMaTo's hostmanager API through Python's xmlrpc.client, unchanged.

Run by selftests/hostmanager.sh, which gives it $HOST (a namespace with
198.18.200.1, where tbxd runs and listens), $WORK, $O and $CG. Prints one
"ok - hostmanager: ..." or "not ok - ..." line per check.
"""
import gzip
import http.client
import json
import os
import re
import signal
import ssl
import subprocess
import sys
import time
import xmlrpc.client

NAME = os.environ.get("TEST_NAME", "hostmanager")
WORK, HOST, O, CG = (os.environ[k] for k in ("WORK", "HOST", "O", "CG"))
ADDR, PORT = "198.18.200.1", 8000
URL = "https://%s:%d/" % (ADDR, PORT)
passed = failed = 0


def ok(what):
    global passed
    passed += 1
    print("ok - %s: %s" % (NAME, what), flush=True)


def fail(what):
    global failed
    failed += 1
    print("not ok - %s: %s" % (NAME, what), flush=True)


def check(what, cond, detail=""):
    (ok if cond else fail)(what if cond else "%s %s" % (what, detail))


def sh(*cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def in_host(*cmd):
    """A command in tbxd's namespace (nsenter keeps /sys, unlike ip netns exec)."""
    return sh("nsenter", "--net=/run/netns/" + HOST, *cmd)


# --- certificates: one CA for alice and bob, another for eve -------------
def certtool(*args):
    r = sh("certtool", *args)
    if r.returncode:
        raise SystemExit("certtool %s: %s" % (" ".join(args), r.stderr))


def make_ca(name):
    tmpl = os.path.join(WORK, name + ".tmpl")
    with open(tmpl, "w") as f:
        f.write('cn = "%s"\nca\ncert_signing_key\nexpiration_days = 2\n' % name)
    key, crt = os.path.join(WORK, name + ".key"), os.path.join(WORK, name + ".crt")
    certtool("--generate-privkey", "--key-type=ecdsa", "--outfile", key)
    certtool("--generate-self-signed", "--load-privkey", key, "--template", tmpl,
             "--outfile", crt)
    return key, crt


def make_cert(name, ca, server=False):
    tmpl = os.path.join(WORK, name + ".tmpl")
    with open(tmpl, "w") as f:
        f.write('cn = "%s"\nexpiration_days = 2\nsigning_key\n' % name)
        f.write('ip_address = "%s"\ntls_www_server\n' % ADDR if server else "tls_www_client\n")
    key, crt = os.path.join(WORK, name + ".key"), os.path.join(WORK, name + ".crt")
    certtool("--generate-privkey", "--key-type=ecdsa", "--outfile", key)
    certtool("--generate-certificate", "--load-privkey", key, "--load-ca-privkey", ca[0],
             "--load-ca-certificate", ca[1], "--template", tmpl, "--outfile", crt)
    return crt, key


ca = make_ca("testbed-ca")
other_ca = make_ca("other-ca")
server = make_cert("tbxd", ca, server=True)
alice, bob = make_cert("alice", ca), make_cert("bob", ca)
eve = make_cert("alice-forged", other_ca)


def proxy(cert=None):
    ctx = ssl.create_default_context(cafile=ca[1])
    if cert:
        ctx.load_cert_chain(*cert)
    return xmlrpc.client.ServerProxy(URL, context=ctx, allow_none=True)


# --- tbxd --------------------------------------------------------------
tbxd = None


def start_tbxd():
    global tbxd
    log = open(os.path.join(WORK, "tbxd.log"), "a")
    tbxd = subprocess.Popen(
        ["nsenter", "--net=/run/netns/" + HOST, O + "/tbxd", "--state-dir", WORK + "/state",
         "--socket", WORK + "/tbxd.sock", "--accounting-interval", "1",
         "--hostmanager", "%s:%d" % (ADDR, PORT),
         "--hostmanager-cert", server[0], "--hostmanager-key", server[1],
         "--hostmanager-ca", ca[1]], stdout=log, stderr=log)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            proxy(alice).host_info()
            return
        except (OSError, xmlrpc.client.ProtocolError):
            time.sleep(0.2)
    raise SystemExit("tbxd did not answer: " + open(os.path.join(WORK, "tbxd.log")).read())


def kill_tbxd():
    tbxd.send_signal(signal.SIGKILL)
    tbxd.wait()


def fault_of(call, *args):
    """The error a call raised: (faultCode, parsed faultString or text)."""
    try:
        call(*args)
    except xmlrpc.client.Fault as f:
        try:
            return f.faultCode, json.loads(f.faultString)
        except ValueError:
            return f.faultCode, f.faultString
    return None, None


def user_fault(what, call, args, code, message):
    fc, err = fault_of(call, *args)
    good = fc == 999 and isinstance(err, dict) and err.get("code") == code and \
        err.get("message") == message and err.get("module") == "hostmanager"
    check(what, good, "(got %r %r)" % (fc, err))
    return err


def netns_exists(eid):
    return os.path.exists("/run/netns/tbx-hm%d" % eid)


def cgroup(eid, f):
    with open("%s/tbx/hm/%d/%s" % (CG, eid, f)) as fh:
        return fh.read().strip()


def in_element(eid, *cmd):
    return sh("ip", "netns", "exec", "tbx-hm%d" % eid, *cmd)


def rtt_ms(src, dst_ip):
    r = in_element(src, "ping", "-c", "3", "-i", "0.3", "-W", "5", dst_ip)
    m = re.search(r"= ([\d.]+)/", r.stdout)
    return float(m.group(1)) if m else None


def wait_for(pred, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.5)
    return pred()


start_tbxd()
A, B = proxy(alice), proxy(bob)

# --- identity ----------------------------------------------------------
for who, p, code in (("no client certificate", proxy(), 401),
                     ("a certificate from another CA", proxy(eve), 403)):
    try:
        p.host_info()
        fail("%s is refused" % who)
    except xmlrpc.client.ProtocolError as e:
        check("%s is refused with HTTP %d" % (who, code), e.errcode == code, "(got %d)" % e.errcode)
    except (ssl.SSLError, OSError) as e:
        ok("%s is refused (TLS: %s)" % (who, e))

info = A.host_info()
check("host_info: ToMaTo's keys, the caller as current_user",
      {"hostmanager", "address", "time", "uptime", "resources", "system", "problems"} <= set(info)
      and info["current_user"] == "alice" and info["address"] == ADDR
      and info["resources"]["cpus_present"]["count"] >= 1, repr(info))
caps = A.host_capabilities()
check("host_capabilities: netns, netns_interface, bridge with actions, next states, attrs",
      caps["elements"]["netns"]["next_state"]["prepare"] == "prepared"
      and caps["elements"]["netns"]["actions"]["(remove)"] == ["created"]
      and caps["elements"]["netns_interface"]["parent"] == ["netns"]
      and caps["connections"]["bridge"]["attrs"]["bandwidth_to"]["default"] == 10000
      and caps["connections"]["bridge"]["con_concepts"] == ["('interface', 'interface')"],
      repr(caps)[:300])
methods = A.system.listMethods()
check("system.listMethods names every method",
      {"host_info", "element_create", "connection_modify", "accounting_statistics"} <= set(methods))

def raw(method, body=None, headers=None):
    """One HTTPS request as alice, below xmlrpc.client: (response, body)."""
    ctx = ssl.create_default_context(cafile=ca[1])
    ctx.load_cert_chain(*alice)
    conn = http.client.HTTPSConnection(ADDR, PORT, context=ctx, timeout=120)
    conn.request(method, "/RPC2", body, dict({"Content-Type": "text/xml"}, **(headers or {})))
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r, data


caps_call = xmlrpc.client.dumps((), "host_capabilities")
r, data = raw("POST", caps_call, {"Accept-Encoding": "gzip"})
check("a reply over 1 KiB is gzip'd for a client that takes it, as ToMaTo's",
      r.getheader("Content-Encoding") == "gzip" and
      xmlrpc.client.loads(gzip.decompress(data))[0][0]["connections"]["bridge"]["actions"]["start"]
      == ["created"])
r, data = raw("POST", caps_call)
check("... and plain for one that does not; one call per connection",
      r.getheader("Content-Encoding") is None and data.startswith(b"<?xml")
      and r.getheader("Connection") == "close")
r, data = raw("POST", "<methodCall><methodName>element_info</methodName><params><param>"
              "<value><int>1x</int></value></param></params></methodCall>")
try:
    xmlrpc.client.loads(data)
    fail("a malformed call is a fault")
except xmlrpc.client.Fault as f:
    check("a malformed call is a fault naming the bad part",
          f.faultCode == 999 and "<int>1x</int> is not a 32-bit integer" in f.faultString,
          f.faultString)
r, data = raw("GET")
check("GET is refused with 405", r.status == 405, "(got %d)" % r.status)

fc, err = fault_of(A.no_such_method)
check("an unknown method: fault 26 'No such method!'", (fc, err) == (26, "No such method!"), repr((fc, err)))

# --- elements: create, refusals --------------------------------------------
user_fault("element_create of an unknown type: unsupported_type", A.element_create, ("vm",),
           "unsupported_type", "Unsupported type")
user_fault("an interface without a host: invalid_configuration", A.element_create,
           ("netns_interface",), "invalid_configuration", "Type needs parent")
user_fault("an unknown attribute: unsupported_attribute", A.element_create,
           ("netns", None, {"colour": "red"}), "unsupported_attribute", "Unsupported attribute")
user_fault("cpus below its minimum: invalid_value", A.element_create,
           ("netns", None, {"cpus": -1}), "invalid_value", "Invalid value, below minimum")
user_fault("ram not a number: invalid_value", A.element_create,
           ("netns", None, {"ram": "lots"}), "invalid_value", "Invalid value, failed to convert")
check("nothing was created by refused calls", A.element_list() == [])

h1 = A.element_create("netns", None, {"cpus": 0.5, "ram": 64})
check("element_info's keys and values", set(h1) == {"id", "type", "parent", "state", "timeout",
      "attrs", "children", "connection"} and h1["state"] == "created" and h1["parent"] is None
      and h1["attrs"]["cpus"] == 0.5 and h1["attrs"]["ram"] == 64
      and abs(h1["timeout"] - time.time() - 30 * 86400) < 600, repr(h1))
i1 = A.element_create("netns_interface", h1["id"], {"ip4address": "198.18.10.1/24"})
h2 = A.element_create("netns", None, {"ram": "64"})      # ToMaTo converts "64"
i2 = A.element_create("netns_interface", h2["id"], {"ip4address": "198.18.10.2/24"})
check("an interface's default name is eth0, its host lists it",
      i1["attrs"]["name"] == "eth0" and A.element_info(h1["id"])["children"] == [i1["id"]])
user_fault("a second interface with a taken name: invalid_value", A.element_create,
           ("netns_interface", h1["id"], {"name": "eth0"}), "invalid_value",
           "Invalid value, another interface of this element has that name")
user_fault("start before prepare: invalid_state", A.element_action, (h1["id"], "start"),
           "invalid_state", "Action can not be executed in this state")
user_fault("an unknown action: unsupported_action (ToMaTo's spelling)", A.element_action,
           (h1["id"], "fly"), "unsupported_action", "Unsuported action")
check("created: nothing in the kernel yet", not netns_exists(h1["id"]))

# The connection made before its hosts are prepared: their interfaces
# join it when they exist.
c = A.connection_create(i2["id"], i1["id"], None,
                        {"delay_to": 20, "delay_from": 20, "bandwidth_to": 2000,
                         "bandwidth_from": 2000})

# --- prepare, start: namespaces, cgroups, interfaces --------------------------
for h in (h1, h2):
    A.element_action(h["id"], "prepare")
check("prepare makes the namespace and the cgroup with cpu.max and memory.max",
      netns_exists(h1["id"]) and cgroup(h1["id"], "cpu.max") == "50000 100000"
      and cgroup(h1["id"], "memory.max") == str(64 << 20))
addr = in_element(h1["id"], "ip", "-o", "addr", "show", "dev", "eth0").stdout
check("the interface is inside, with its address", "198.18.10.1/24" in addr, addr)
check("its state follows its host's", A.element_info(i1["id"])["state"] == "prepared")
user_fault("an interface's name after prepare: invalid_state", A.element_modify,
           (i1["id"], {"name": "eth7"}), "invalid_state", "Invalid state for attribute")
user_fault("remove while prepared: invalid_state", A.element_remove, (h1["id"],),
           "invalid_state", "Element can not be removed in its current state")

check("connection_info: lower id first, bridge, created",
      c["elements"] == sorted([i1["id"], i2["id"]]) and c["type"] == "bridge"
      and c["state"] == "created" and c["attrs"]["delay_to"] == 20.0, repr(c))
user_fault("an interface connected twice: already_connected", A.connection_create,
           (i1["id"], i2["id"]), "already_connected", "Element is already connected")
user_fault("a host is no interface: unable_to_connect", A.connection_create,
           (h1["id"], h2["id"]), "unable_to_connect", "Failed to find matching connection type")
user_fault("a bad distribution: invalid_value", A.connection_modify,
           (c["id"], {"distribution_to": "zipf"}), "invalid_value", "Invalid value, must choose from list")
A.connection_action(c["id"], "start")
for h in (h1, h2):
    A.element_action(h["id"], "start")
check("started: both hosts and the connection", A.element_info(h1["id"])["state"] == "started"
      and A.connection_info(c["id"])["state"] == "started")
qd = in_host("tc", "qdisc", "show", "dev", "tbxhm%d" % i1["id"]).stdout
check("the tbx qdisc shapes each direction on the outer ends", " tbx " in qd, qd)
rtt = rtt_ms(h1["id"], "198.18.10.2")
check("ping across the connection: RTT at least 20 + 20 ms (%s)" % rtt, rtt is not None and rtt >= 40)

srv = subprocess.Popen(["ip", "netns", "exec", "tbx-hm%d" % h2["id"], "iperf3", "-s", "-1",
                        "-B", "198.18.10.2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(1)
r = in_element(h1["id"], "iperf3", "-c", "198.18.10.2", "-t", "3", "-J")
srv.wait(timeout=60)
try:
    bps = json.loads(r.stdout)["end"]["sum_received"]["bits_per_second"]
except (ValueError, KeyError):
    bps = None
check("TCP across the connection: carried, never above 2000 kbit/s (%s bit/s)" % bps,
      bps is not None and 0 < bps <= 2000e3 * 1.05)

A.connection_modify(c["id"], {"delay_to": 60})
qd2 = in_host("tc", "qdisc", "show", "dev", "tbxhm%d" % c["elements"][0]).stdout
rtt = rtt_ms(h1["id"], "198.18.10.2")
check("connection_modify while started: 60 + 20 ms now (%s)" % rtt, rtt is not None and rtt >= 80)
check("... by changing the qdisc in place", " tbx " in qd2, qd2)
A.connection_modify(c["id"], {"emulation": False})
off = in_host("tc", "qdisc", "show", "dev", "tbxhm%d" % c["elements"][0]).stdout
A.connection_modify(c["id"], {"emulation": True})
on = in_host("tc", "qdisc", "show", "dev", "tbxhm%d" % c["elements"][0]).stdout
check("emulation off takes the qdisc away, on puts it back",
      " tbx " not in off and " tbx " in on, "(%s / %s)" % (off, on))

# --- owners ------------------------------------------------------------
user_fault("bob asking for alice's element: No such element", B.element_info, (h1["id"],),
           "entity_does_not_exist", "No such element")
user_fault("bob removing alice's element: No such element", B.element_remove, (h1["id"],),
           "entity_does_not_exist", "No such element")
user_fault("bob connecting alice's interfaces: No such element", B.connection_create,
           (i1["id"], i2["id"]), "entity_does_not_exist", "No such element")
user_fault("bob stopping alice's connection: No such connection", B.connection_action,
           (c["id"], "stop"), "entity_does_not_exist", "No such connection")
check("bob's lists are empty, alice's hold hers", B.element_list() == [] and
      B.connection_list() == [] and len(A.element_list()) == 4)
check("bob's accounting holds nothing of alice's",
      B.accounting_statistics() == {"elements": {}, "connections": {}})

# --- ToMaTo's [args, kwargs] convention, Python's TypeErrors ---------------
lst = A.element_list([], {"type_filter": "netns_interface"})
check("[list, struct] parameters are positional and keyword arguments",
      sorted(e["id"] for e in lst) == sorted([i1["id"], i2["id"]]))
fc, err = fault_of(A.element_info)
check("a missing argument: an internal error naming it", fc == 999 and err["type"] == "internal"
      and "takes at least 1 arguments" in err["message"], repr(err))
fc, err = fault_of(A.element_info, "abc")
check("an id that is not a number: refused", fc == 999 and "invalid literal" in err["message"], repr(err))

# --- accounting ----------------------------------------------------------
def has_singles():
    s = A.accounting_element_statistics(h1["id"], "single")
    return len(s) >= 1 and s
check("accounting: single records for a started host", wait_for(has_singles))
rec = A.accounting_element_statistics(h1["id"], "single")[-1]
check("... in ToMaTo's shape", set(rec) == {"type", "begin", "end", "measurements", "usage"} and
      set(rec["usage"]) == {"cputime", "memory", "diskspace", "traffic"} and rec["type"] == "single",
      repr(rec))
allst = A.accounting_statistics()
check("accounting_statistics: every level of each element and connection",
      str(h1["id"]) in allst["elements"] and str(c["id"]) in allst["connections"]
      and set(allst["elements"][str(h1["id"])]) == {"single", "5minutes", "hour", "day",
                                                     "month", "year"})
user_fault("an unknown level: invalid_value", A.accounting_element_statistics,
           (h1["id"], "weekly"), "invalid_value", "Invalid value, must choose from list")

# --- kill -9, restart: reconciled ---------------------------------------------
kill_tbxd()
sh("ip", "netns", "del", "tbx-hm%d" % h2["id"])          # lost meanwhile
sh("ip", "netns", "add", "tbx-hm999999")                  # made by nobody's row
start_tbxd()
A = proxy(alice)
check("after kill -9 and restart: every row kept", len(A.element_list()) == 4 and
      A.connection_info(c["id"])["state"] == "started")
check("... a lost namespace made again, a stray one removed",
      netns_exists(h2["id"]) and not os.path.exists("/run/netns/tbx-hm999999"))
# h2's new interface has a new MAC: h1 finds it once its old neighbour
# entry fails (seconds), so wait for the first answer.
check("... and the connection carries traffic again",
      wait_for(lambda: rtt_ms(h1["id"], "198.18.10.2") is not None, 60))
rtt = rtt_ms(h1["id"], "198.18.10.2")
check("... with its delay (%s ms)" % rtt, rtt is not None and rtt >= 80)

# --- timeouts -------------------------------------------------------------
user_fault("a timeout in the past: refused", A.element_modify, (h2["id"], {"timeout": time.time() - 5}),
           "invalid_value", "Refusing to set timeout into the past")
user_fault("a timeout beyond 30 days: refused", A.element_modify,
           (h2["id"], {"timeout": time.time() + 31 * 86400}), "invalid_value",
           "Refusing to set timeout too far into the future")
A.element_modify(h2["id"], {"timeout": time.time() + 2})


def gone(eid):
    return fault_of(A.element_info, eid)[0] == 999


check("a started host past its timeout is torn down and removed, with its interface and connection",
      wait_for(lambda: gone(h2["id"])) and gone(i2["id"]) and
      fault_of(A.connection_info, c["id"])[0] == 999 and not netns_exists(h2["id"]))

# --- removal ----------------------------------------------------------------
user_fault("remove while started: invalid_state", A.element_remove, (h1["id"],),
           "invalid_state", "Element can not be removed in its current state")
A.element_action(h1["id"], "stop")
A.element_action(h1["id"], "destroy")
user_fault("recurse=False with children: invalid_state", A.element_remove, (h1["id"], False),
           "invalid_state", "Cannot remove element with children")
A.element_remove(h1["id"])
els = A.element_list()
left = [n for n in os.listdir("/run/netns") if re.match(r"tbx-hm\d+$", n)]
devs = [d.split(":")[1].strip() for d in in_host("ip", "-o", "link").stdout.splitlines()]
cgs = os.listdir(CG + "/tbx/hm") if os.path.isdir(CG + "/tbx/hm") else []
check("everything removed: no element, namespace, outer end, bridge or cgroup left",
      els == [] and not left and not [d for d in devs if d.startswith(("tbxhm", "tbxbr"))]
      and not [g for g in cgs if g.isdigit()], "(%r %r %r %r)" % (els, left, devs, cgs))

st = sh("nsenter", "--net=/run/netns/" + HOST, os.environ["TBX"], "-s", WORK + "/tbxd.sock",
        "-j", "daemon", "status")
try:
    hmh = json.loads(st.stdout)["hostmanager"]
except (ValueError, KeyError):
    hmh = None
check("tbx daemon status shows the hostmanager: where it listens, what it holds",
      hmh == {"listen": "%s:%d" % (ADDR, PORT), "elements": 0, "connections": 0}, repr(hmh))
kill_tbxd()
log = open(os.path.join(WORK, "tbxd.log")).read()
check("tbxd logged every call's refusal", "Unsuported action" in log)
print("# %s: %d passed, %d failed" % (NAME, passed, failed))
sys.exit(1 if failed else 0)
