rule MZ_Gated : t1 { meta: note = "} condition: false {" strings: $a = "php" condition: uint16(0) == 0x5a4d and $a }
rule ELF_Gated { strings: $a = "php" condition: uint32(0) == 0x464c457f and $a }
rule Not_MZ { strings: $a = "php" condition: uint16(0) != 0x5A4D and $a }
rule Small { strings: $a = "php" condition: $a and filesize < 1MB }
rule Or_Both { condition: uint16(0) == 0x5a4d or uint32be(0) == 0x7f454c46 }
rule Not_Gate { strings: $a = "php" condition: not uint16(0) == 0x5a4d and $a }
rule Refers { condition: MZ_Gated or ELF_Gated }
private rule Priv { condition: uint16(0) == 0x5a4d }
rule Uses_Priv { strings: $a = "php" condition: Priv and $a }
rule Tricky { strings: $a = "p}hp" $b = /ph[}]p\/x/ $c = { 3C 3F /* } */ [2] 68 } condition: uint16(0) == 0x5a4d and any of them }
rule Anon { strings: $ = "php" condition: for any of ($*) : ( $ at 2 ) and uint8(0) != 0x4d }
