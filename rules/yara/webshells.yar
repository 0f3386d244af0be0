/*
 * webshells.yar — server-side scripts that run what a web request sends:
 * PHP eval of decoded input, command execution on request data,
 * upload-and-execute, common obfuscation chains; JSP and ASP.NET shells.
 * Written for rasoat. ATT&CK T1505.003 (Server Software Component: Web Shell).
 */
rule RASOAT_PHP_Webshell_Eval_Request
{
	meta:
		description = "PHP webshell: eval/assert of (decoded) request data"
		author = "rasoat"
		score = 85
		mitre_attack = "T1505.003"
	strings:
		$php = "<?" ascii
		$direct = /(eval|assert)\s*\(\s*(\$\{?['"]?_|@\$_)(POST|GET|REQUEST|COOKIE|SERVER)/ ascii nocase
		$decoded = /(eval|assert)\s*\(\s*(@\s*)?(base64_decode|gzinflate|gzuncompress|gzdecode|str_rot13|strrev|hex2bin|urldecode)\s*\(\s*(@\s*)?\$_(POST|GET|REQUEST|COOKIE|SERVER)/ ascii nocase
	condition:
		filesize < 2MB and uint32(0) != 0x464c457f and $php and ($direct or $decoded)
}

rule RASOAT_PHP_Webshell_Command_On_Request
{
	meta:
		description = "PHP webshell: system/passthru/shell_exec/exec/popen/proc_open on request data"
		author = "rasoat"
		score = 85
		mitre_attack = "T1505.003"
	strings:
		$php = "<?" ascii
		$cmd = /\b(system|passthru|shell_exec|exec|popen|proc_open|pcntl_exec)\s*\(\s*(@\s*)?\$_(POST|GET|REQUEST|COOKIE|SERVER)\s*\[/ ascii nocase
		$tick = /(=|echo|print|\()\s*`\s*\$_(POST|GET|REQUEST|COOKIE)\s*\[[^\]]{1,40}\]\s*`/ ascii
	condition:
		filesize < 2MB and uint32(0) != 0x464c457f and $php and ($cmd or $tick)
}

rule RASOAT_PHP_Webshell_Upload_Exec
{
	meta:
		description = "PHP webshell: stores an uploaded file and runs commands"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003"
	strings:
		$php = "<?" ascii
		$up = /move_uploaded_file\s*\(\s*\$_FILES/ ascii nocase
		$x1 = /\b(system|passthru|shell_exec|popen|proc_open)\s*\(\s*\$/ ascii nocase
		$x2 = /chmod\s*\([^)]{1,200}0?777\s*\)/ ascii nocase
	condition:
		filesize < 1MB and $php and $up and ($x1 and $x2)
}

rule RASOAT_PHP_Obfuscated_Loader
{
	meta:
		description = "PHP loader: eval of a chain of decoders (eval(gzinflate(base64_decode(...))))"
		author = "rasoat"
		score = 75
		mitre_attack = "T1505.003, T1027"
	strings:
		$php = "<?" ascii
		$chain = /eval\s*\(\s*(gzinflate|gzuncompress|gzdecode|str_rot13|strrev)\s*\(\s*(base64_decode|str_rot13|gzinflate)\s*\(/ ascii nocase
		$preg = /preg_replace\s*\(\s*['"]\/.{1,100}\/e['"]\s*,\s*\$_(POST|GET|REQUEST)/ ascii nocase
		$cf = /create_function\s*\(\s*['"]{2}\s*,\s*\$_(POST|GET|REQUEST|COOKIE)/ ascii nocase
	condition:
		filesize < 2MB and $php and any of ($chain, $preg, $cf)
}

rule RASOAT_JSP_Webshell
{
	meta:
		description = "JSP webshell: Runtime.exec or ProcessBuilder on a request parameter"
		author = "rasoat"
		score = 85
		mitre_attack = "T1505.003"
	strings:
		$jsp1 = "<%" ascii
		$rt = /Runtime\s*\.\s*getRuntime\s*\(\s*\)\s*\.\s*exec\s*\(\s*request\s*\.\s*getParameter/ ascii
		$pb = /new\s+ProcessBuilder\s*\([^)]{0,80}request\s*\.\s*getParameter/ ascii
	condition:
		filesize < 1MB and $jsp1 and ($rt or $pb)
}

rule RASOAT_ASPX_Webshell
{
	meta:
		description = "ASP/ASP.NET webshell: eval of request data (China Chopper) or Process.Start on it"
		author = "rasoat"
		score = 85
		mitre_attack = "T1505.003"
	strings:
		$asp = "<%" ascii
		$chopper = /eval\s*\(\s*Request(\.Item)?\s*\[/ ascii nocase
		$ps = /Process\s*\.\s*Start\s*\([^)]{0,120}Request(\.Form|\.QueryString|\.Item)?\s*\[/ ascii nocase
	condition:
		filesize < 1MB and $asp and ($chopper or $ps)
}
