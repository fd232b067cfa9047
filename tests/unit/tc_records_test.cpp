// tc.json and host.json: reading a record and writing it back gives the same
// text, byte for byte (key order, indentation, optional keys, keys of later
// versions kept verbatim).  The texts are what the records' writers produced
// before they built their JSON key by key.
#include <gtest/gtest.h>

#include "tc/records.hpp"

namespace tc = pm::tc;

namespace {

const char* const kTcRecord = R"json(
{
  "id": "m",
  "state": "attached",
  "netns": "/run/portmap/netns/m",
  "host_veth": {
    "name": "pme6610a4c554d",
    "ifindex": 4,
    "ingress_qdisc": "created"
  },
  "container_lo": {
    "name": "lo",
    "ifindex": 1,
    "ingress_qdisc": "created"
  },
  "container_eth0": {
    "name": "eth0",
    "ifindex": 2,
    "ingress_qdisc": "created"
  },
  "eth0": {
    "name": "eth0",
    "ifindex": 2
  },
  "lo": {
    "name": "lo",
    "ifindex": 1
  },
  "address": "198.51.100.10/24",
  "mac": "de:6f:ce:88:3c:5e",
  "ephemeral_ports": {
    "begin": 20480,
    "end": 20543
  },
  "ports": [
    {
      "begin": 31999,
      "end": 31999
    }
  ],
  "blocks": [
    "20480-20543",
    "31999"
  ],
  "mirror_node": 1280,
  "tables": [
    {
      "name": "veth-arp-out",
      "dev": "veth",
      "prio": 258,
      "protocol": "arp",
      "handle": "10:",
      "divisor": 1,
      "hash": "0x00000000",
      "root": "800:",
      "links": [
        "800::1"
      ]
    }
  ],
  "filters": [
    {
      "dev": "veth",
      "ifname": "pme6610a4c554d",
      "prio": 258,
      "protocol": "arp",
      "handle": "10::1",
      "role": "out-arp",
      "match": "arp",
      "action": "redirect",
      "target": "eth0"
    },
    {
      "dev": "eth0-egress",
      "ifname": "eth0",
      "prio": 258,
      "protocol": "arp",
      "handle": "10::1",
      "role": "out-arp",
      "match": "arp",
      "action": "classify",
      "target": "eth0",
      "classid": "1:3"
    }
  ],
  "flow": "1:3",
  "future_key": {
    "x": [
      1,
      2,
      {
        "y": "z"
      }
    ]
  },
  "shaping": {
    "bloat_reduction": "fq_codel",
    "egress": {
      "rate": 1250000,
      "ceil": 2500000,
      "burst": 15000
    },
    "ingress": {
      "rate": 125000
    }
  }
})json";

const char* const kHostRecord = R"json(
{
  "eth0": {
    "name": "eth0",
    "ifindex": 2,
    "ingress_qdisc": "created"
  },
  "lo": {
    "name": "lo",
    "ifindex": 1,
    "ingress_qdisc": "created"
  },
  "address": "198.51.100.10/24",
  "mac": "de:6f:ce:88:3c:5e",
  "tables": [
    {
      "name": "eth0-arp-copy",
      "dev": "eth0",
      "prio": 258,
      "protocol": "arp",
      "handle": "10:",
      "divisor": 1,
      "hash": "0x00000000",
      "root": "800:",
      "links": [
        "800::1"
      ]
    },
    {
      "name": "eth0-icmp-copy",
      "dev": "eth0",
      "prio": 514,
      "protocol": "ip",
      "handle": "20:",
      "divisor": 1,
      "hash": "0x00000000",
      "root": "801:",
      "links": [
        "801::1"
      ]
    },
    {
      "name": "eth0-ports",
      "dev": "eth0",
      "prio": 770,
      "protocol": "ip",
      "handle": "30:",
      "divisor": 256,
      "hash": "0x0000ff00",
      "root": "802:",
      "links": [
        "802::1",
        "802::2"
      ]
    },
    {
      "name": "lo-ports",
      "dev": "lo",
      "prio": 770,
      "protocol": "ip",
      "handle": "30:",
      "divisor": 256,
      "hash": "0x0000ff00",
      "root": "800:",
      "links": [
        "800::1",
        "800::2"
      ]
    }
  ],
  "later": true
})json";

// The text without the leading newline the raw literals start with.
std::string text(const char* literal) { return std::string(literal + 1); }

}  // namespace

TEST(TcRecords, TcRecordWrittenBackIsTheSameText) {
    const auto rec = tc::TcRecord::from_json(pm::Json::parse(text(kTcRecord)));
    EXPECT_EQ(rec.flow, 0x10003u);
    ASSERT_EQ(rec.filters.size(), 2u);
    EXPECT_EQ(rec.filters.back().act, tc::Act::classify);
    EXPECT_EQ(rec.extra.size(), 1u);
    EXPECT_EQ(rec.to_json().dump(2), text(kTcRecord));
}

TEST(TcRecords, HostRecordWrittenBackIsTheSameText) {
    const auto rec = tc::HostRecord::from_json(pm::Json::parse(text(kHostRecord)));
    EXPECT_EQ(rec.extra.size(), 1u);
    EXPECT_EQ(rec.to_json().dump(2), text(kHostRecord));
}
