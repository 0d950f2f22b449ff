#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Mininet's side of scripts/bench/topology: builds a line or a star of N
hosts with TCLinks (htb + netem on both ends, as tbx impairs both
directions), Linux bridges and no controller, checks the two far hosts
reach each other, and prints the seconds build+start and stop took as
JSON: {"up": S, "down": S, "ping": true|false}.

usage: mininet_topo.py line|star N RATE_MBIT DELAY_MS
"""
import json
import sys
import time

from mininet.link import TCLink
from mininet.log import setLogLevel
from mininet.net import Mininet
from mininet.nodelib import LinuxBridge
from mininet.topo import LinearTopo, SingleSwitchTopo


def main():
    shape, n, rate, delay = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    link = {"bw": rate, "delay": delay + "ms"}
    if shape == "line":
        topo = LinearTopo(k=n, n=1, lopts=link)
    else:
        topo = SingleSwitchTopo(k=n, lopts=link)
    setLogLevel("error")
    t0 = time.monotonic()
    net = Mininet(topo=topo, link=TCLink, switch=LinuxBridge, controller=None,
                  autoSetMacs=True, waitConnected=False)
    net.start()
    up = time.monotonic() - t0
    hosts = net.hosts
    first, last = hosts[0], hosts[-1]
    loss = net.ping([first, last], timeout="5")
    t0 = time.monotonic()
    net.stop()
    down = time.monotonic() - t0
    print(json.dumps({"up": up, "down": down, "ping": loss == 0}))


if __name__ == "__main__":
    main()
