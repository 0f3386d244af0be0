rule B : t { meta: d = "}" strings: $a = { 4D [2] 5A } $b = /a\/b/ condition: (filesize < 1MB and $a) or (uint32(0) == 0x464c457f and $b) }
private rule C { condition: B and filesize > 16MB }
