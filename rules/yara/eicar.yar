/*
 * eicar.yar — the EICAR anti-virus test file: proves a hunt sees files.
 * Written for rasoat.
 */
rule RASOAT_EICAR_Test_File
{
	meta:
		description = "EICAR anti-virus test file"
		author = "rasoat"
		score = 50
		mitre_attack = ""
		reference = "https://www.eicar.org/download-anti-malware-testfile/"
	strings:
		$eicar = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
	condition:
		$eicar at 0 and filesize < 128
}
