import "pe"
rule D { condition: not uint16be(0) == 0x4d5a or 0x5a4d != uint16(0) }
