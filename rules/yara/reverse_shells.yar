/*
 * reverse_shells.yar — scripts that connect a shell back to a remote
 * host: bash /dev/tcp redirections, and python, perl or php that open a
 * socket and hand it to a shell. Written for rasoat.
 * ATT&CK T1059 (Command and Scripting Interpreter), T1071 (C2 over an application protocol).
 */
rule RASOAT_RevShell_Bash_Dev_Tcp
{
	meta:
		description = "Reverse shell: an interactive shell redirected to /dev/tcp/ADDRESS/PORT"
		author = "rasoat"
		score = 85
		mitre_attack = "T1059.004"
	strings:
		$a = /(ba|z|k)?sh\s+-i\s*(>&|&>|>\s*&)\s*\/dev\/(tcp|udp)\/[A-Za-z0-9.:_-]{3,100}\/[0-9]{1,5}/ ascii
		$b = /exec\s+[0-9]{1,3}\s*<>\s*\/dev\/(tcp|udp)\/[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\/[0-9]{1,5}/ ascii
		$c = /0?<&[0-9]{1,3}\s*;?\s*(ba)?sh\s+<&[0-9]{1,3}\s*>&[0-9]{1,3}/ ascii
	condition:
		filesize < 5MB and any of them
}

rule RASOAT_RevShell_Python
{
	meta:
		description = "Reverse shell: python socket duplicated onto stdin/stdout and a shell spawned"
		author = "rasoat"
		score = 80
		mitre_attack = "T1059.006"
	strings:
		$sock = /socket\.socket\s*\(/ ascii
		$conn = /\.connect\s*\(\s*\(/ ascii
		$dup = /os\.dup2\s*\(\s*\w+\.fileno\s*\(\s*\)\s*,\s*[012]\s*\)/ ascii
		$sh1 = /(pty\.spawn|subprocess\.call|subprocess\.Popen|os\.system)\s*\(\s*\[?\s*["']\/bin\/(ba)?sh/ ascii
		$sh2 = /pty\.spawn\s*\(\s*["'](ba)?sh["']/ ascii
	condition:
		filesize < 2MB and $sock and $conn and $dup and ($sh1 or $sh2)
}

rule RASOAT_RevShell_Perl
{
	meta:
		description = "Reverse shell: perl socket bound to STDIN/STDOUT and exec of a shell"
		author = "rasoat"
		score = 80
		mitre_attack = "T1059"
	strings:
		$sock = /socket\s*\(\s*S\s*,\s*PF_INET/ ascii
		$open = /open\s*\(\s*STDIN\s*,\s*["']>&S["']\s*\)/ ascii
		$exec = /exec\s*\(\s*["']\/bin\/(ba)?sh\s+-i["']\s*\)/ ascii
	condition:
		filesize < 2MB and all of them
}

rule RASOAT_RevShell_PHP
{
	meta:
		description = "Reverse shell: php fsockopen handed to a shell (exec/proc_open/shell_exec '/bin/sh -i <&3')"
		author = "rasoat"
		score = 80
		mitre_attack = "T1059"
	strings:
		$sock = /fsockopen\s*\(\s*["'][A-Za-z0-9.:_-]{3,100}["']\s*,\s*[0-9]{1,5}\s*\)/ ascii
		$sh = /(exec|shell_exec|system|passthru|popen|proc_open)\s*\(\s*["']\/bin\/(ba)?sh\s+-i\s*<&\s*[0-9]/ ascii
		$ps = /proc_open\s*\(\s*["']\/bin\/(ba)?sh/ ascii
	condition:
		filesize < 2MB and $sock and ($sh or $ps)
}
