/*
 * webshells_script.yar — generic Perl/CGI, Python and Node.js webshell
 * techniques: CGI or framework request data reaching a shell, eval or the
 * file system, and the interactive reverse/bind shells these collections
 * drop next to them. One rule per technique. Written for rasoat.
 * ATT&CK T1505.003 (Server Software Component: Web Shell), T1059.
 */
rule RASOAT_Perl_CGI_Command
{
	meta:
		description = "Perl CGI: a command from the request (param(), QUERY_STRING, POST body) run by system/exec/qx/backticks/open pipe"
		author = "rasoat"
		score = 75
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$perl1 = /#!\s*\/\S*perl/ ascii
		$perl2 = /\buse\s+CGI\b/ ascii
		$perl3 = /\$ENV\s*\{\s*['"]?(QUERY_STRING|REQUEST_METHOD|CONTENT_LENGTH)/ ascii
		$in1 = /\$ENV\s*\{\s*['"]?(QUERY_STRING|CONTENT_LENGTH)/ ascii
		$in2 = /(->|\b)param\s*\(/ ascii
		$in3 = /read\s*\(\s*STDIN\s*,/ ascii
		$x1 = /\b(system|exec)\s*\(?\s*["']?\$/ ascii
		$x2 = /`\$\w{1,30}[^`\n]{0,40}`/ ascii
		$x3 = /\bqx\s*[\/({\[|]/ ascii
		$x4 = /open\s*\(?\s*\w+\s*,\s*["'][^"']{0,40}\|\s*["']/ ascii
		$x5 = /open\s*\(?\s*\w+\s*,\s*["']\s*\$\w+\s*\|/ ascii
		$ct = /Content-type\s*:/ ascii nocase
		$k2 = /param\s*\(\s*['"](cmd|c|command|exec|execute|shell)['"]/ ascii nocase
		$k3 = /\{\s*['"]?(cmd|command|execute)['"]?\s*\}/ ascii nocase
		$k4 = /name\s*=\s*["']?(cmd|command|execute|c)["'\s>]/ ascii nocase
	condition:
		filesize < 2MB and any of ($perl*) and any of ($in*) and any of ($x*) and $ct and any of ($k*)
}

rule RASOAT_Perl_CGI_File_Manager
{
	meta:
		description = "Perl CGI file-manager/uploader: opendir/unlink/rename/upload on request paths with an HTML interface"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1083"
	strings:
		$perl1 = /#!\s*\/\S*perl/ ascii
		$perl2 = /\buse\s+CGI\b/ ascii
		$in1 = /\$ENV\s*\{\s*['"]?(QUERY_STRING|CONTENT_LENGTH)/ ascii
		$in2 = /(->|\b)param\s*\(/ ascii
		$o1 = /\bopendir\s*\(/ ascii
		$o2 = /\bunlink\s*\(?\s*\$/ ascii
		$o3 = /\brename\s*\(/ ascii
		$o4 = /open\s*\(?\s*\w+\s*,\s*["']>\s*\$/ ascii
		$o5 = /\bchmod\s*\(/ ascii
		$o6 = "multipart/form-data" ascii nocase
		$ct = /Content-type\s*:/ ascii nocase
	condition:
		filesize < 2MB and any of ($perl*) and any of ($in*) and 4 of ($o*) and $ct
}

rule RASOAT_Script_Interactive_Shell_Socket
{
	meta:
		description = "Perl/Python/Node: a socket wired to a shell (connect-back or bind shell dropped by webshells)"
		author = "rasoat"
		score = 75
		mitre_attack = "T1059, T1571"
	strings:
		$sh = /["'](\/bin\/(ba)?sh|cmd\.exe)(\s+-i)?["']/ ascii
		$p1 = /\bsocket\s*\(\s*\w+\s*,\s*PF_INET/ ascii
		$p2 = /open\s*\(\s*STD(IN|OUT|ERR)\s*,\s*["']>?&/ ascii
		$y1 = /socket\s*\.\s*socket\s*\(/ ascii
		$y2 = /(os\s*\.\s*dup2\s*\(|pty\s*\.\s*spawn\s*\(|subprocess\s*\.\s*(call|Popen)\s*\(\s*\[?\s*["'](\/bin\/(ba)?sh|cmd\.exe))/ ascii
		$n1 = /require\s*\(\s*['"](node:)?net['"]\s*\)/ ascii
		$n2 = /(spawn|exec)\s*\(\s*["'](\/bin\/(ba)?sh|cmd\.exe|cmd)/ ascii
		$n3 = /\.pipe\s*\(/ ascii
	condition:
		filesize < 1MB and $sh and (($p1 and $p2) or ($y1 and $y2) or ($n1 and $n2 and $n3))
}

rule RASOAT_Python_Web_Command
{
	meta:
		description = "Python CGI/web handler: request data (cgi.FieldStorage, QUERY_STRING, Flask/Django request) run by os.system/popen/subprocess or eval/exec"
		author = "rasoat"
		score = 75
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$in1 = /cgi\s*\.\s*FieldStorage\s*\(/ ascii
		$in2 = /os\s*\.\s*environ\s*(\.get\s*\(|\[)\s*['"](QUERY_STRING|CONTENT_LENGTH)/ ascii
		$in3 = /request\s*\.\s*(args|form|values|GET|POST|data|json|get_data)\b/ ascii
		$x1 = /os\s*\.\s*(system|popen|execv|execl|spawn\w*)\s*\(/ ascii
		$x2 = /subprocess\s*\.\s*(Popen|call|check_output|run)\s*\([^\n]{0,160}shell\s*=\s*True/ ascii
		$x5 = /subprocess\s*\.\s*(getoutput|getstatusoutput)\s*\(/ ascii
		$x3 = /commands\s*\.\s*getoutput\s*\(/ ascii
		$x4 = /\b(eval|exec)\s*\(\s*(base64|zlib|marshal|codecs|form|request|params|query|qs|data|cmd)/ ascii
	condition:
		// a web handler is a small file: the news of a Python release
		// (1.4 MB of text naming cgi.FieldStorage and os.spawnv far apart) is not one
		filesize < 512KB and any of ($in*) and any of ($x*)
}

rule RASOAT_Node_Request_Exec
{
	meta:
		description = "Node.js: child_process or eval/Function/vm fed with request data (req.query, req.body, the URL)"
		author = "rasoat"
		score = 75
		mitre_attack = "T1505.003, T1059.007"
	strings:
		$cp = /require\s*\(\s*['"](node:)?child_process['"]\s*\)/ ascii
		$x1 = /\.\s*(exec|execSync|spawn|spawnSync|execFile)\s*\(\s*(req|request|q|query|params|body|url)\b/ ascii
		$x2 = /\b(exec|execSync|spawn)\s*\(\s*(req|request)\s*\.\s*(query|body|params|url|headers)/ ascii
		$e1 = /\b(eval|Function|vm\s*\.\s*runInThisContext|vm\s*\.\s*runInNewContext)\s*\(\s*(req|request)\s*\.\s*(query|body|params|headers)/ ascii
		$e2 = /\beval\s*\(\s*(Buffer\s*\.\s*from|atob)\s*\(\s*(req|request)\b/ ascii
	condition:
		filesize < 2MB and (any of ($e*) or ($cp and any of ($x*)))
}

rule RASOAT_Python_Socket_Command_Loop
{
	meta:
		description = "Python backdoor: receives commands on a socket and runs them in a shell, sending the output back"
		author = "rasoat"
		score = 65
		mitre_attack = "T1059.006, T1571"
	strings:
		$s1 = /socket\s*\.\s*socket\s*\(/ ascii
		$s2 = /from\s+socket\s+import\s+\*/ ascii
		$r = /\.\s*recv\s*\(/ ascii
		$w = /\.\s*(send|sendall)\s*\(/ ascii
		$x1 = /os\s*\.\s*(popen|system)\s*\(/ ascii
		$x2 = /subprocess\s*\.\s*(Popen|check_output|getoutput|run|call)\s*\(/ ascii
		$x3 = /(commands\s*\.\s*getoutput|popen2\s*\.\s*popen|pty\s*\.\s*spawn)\s*\(/ ascii
		$sh = /(shell\s*=\s*True|\/bin\/(ba)?sh|cmd\.exe)/ ascii
	condition:
		filesize < 1MB and any of ($s*) and $r and $w and any of ($x*) and $sh
}
