/*
 * miners.yar — cryptocurrency miners on Linux: stratum pool URLs with
 * miner options, XMRig-style configuration files and binaries.
 * Written for rasoat. ATT&CK T1496 (Resource Hijacking).
 */
rule RASOAT_Miner_Stratum_Command
{
	meta:
		description = "Coin miner: a stratum pool URL next to miner options (script, config or binary)"
		author = "rasoat"
		score = 75
		mitre_attack = "T1496"
	strings:
		$url = /stratum\+(tcp|ssl|tls):\/\/[a-zA-Z0-9._-]{3,100}:[0-9]{2,5}/ ascii wide
		$o1 = "--donate-level" ascii wide
		$o2 = "--cpu-priority" ascii wide
		$o3 = "--randomx" ascii wide
		$o4 = /(^|\s)-(o|u|p)\s+\S/ ascii
		$o5 = "cryptonight" ascii wide nocase
		$o6 = "--coin" ascii wide
		$o7 = "nicehash" ascii wide nocase
	condition:
		filesize < 20MB and $url and 1 of ($o*)
}

rule RASOAT_Miner_XMRig_Config
{
	meta:
		description = "Coin miner: XMRig configuration (pools, donate-level, randomx/cpu sections)"
		author = "rasoat"
		score = 70
		mitre_attack = "T1496"
	strings:
		$pools = "\"pools\"" ascii
		$donate = "\"donate-level\"" ascii
		$k1 = "\"randomx\"" ascii
		$k2 = "\"coin\"" ascii
		$k3 = "\"nicehash\"" ascii
		$k4 = "\"rig-id\"" ascii
		$k5 = "\"keepalive\"" ascii
	condition:
		filesize < 1MB and $pools and $donate and 2 of ($k*)
}

rule RASOAT_Miner_XMRig_Binary
{
	meta:
		description = "Coin miner: XMRig (or a build of it) as an ELF executable"
		author = "rasoat"
		score = 80
		mitre_attack = "T1496"
	strings:
		$s1 = "XMRig" ascii
		$s2 = "donate.v2.xmrig.com" ascii
		$s3 = "cryptonight" ascii nocase
		$s4 = "randomx" ascii nocase
		$s5 = "stratum+tcp" ascii
		$s6 = "\"donate-level\"" ascii
	condition:
		uint32(0) == 0x464c457f and filesize < 30MB and $s1 and 3 of ($s2, $s3, $s4, $s5, $s6)
}
