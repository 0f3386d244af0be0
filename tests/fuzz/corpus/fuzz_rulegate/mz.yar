rule A { strings: $a = "x" condition: uint16(0) == 0x5a4d and $a }
