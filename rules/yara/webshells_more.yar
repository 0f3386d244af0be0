/*
 * webshells_more.yar — more generic webshell techniques (second set):
 * request data or remote code reaching include/eval/callbacks in PHP,
 * function names rebuilt by junk-stripping str_replace or letter-by-letter
 * concatenation, uploaders that store a file where the request says, the
 * register_globals emulation loop feeding a dynamic call, and Perl CGI,
 * Python and Node.js request/socket data reaching a shell. One rule per
 * technique, not per sample. Written for rasoat.
 * ATT&CK T1505.003 (Server Software Component: Web Shell), T1027, T1059.
 */
rule RASOAT_PHP_Include_Request
{
	meta:
		description = "PHP: include/require of the raw request body (php://input), a data: URL or a request value (code sent with each request)"
		author = "rasoat"
		score = 75
		mitre_attack = "T1505.003"
	strings:
		$php = "<?" ascii
		$i1 = /\b(include|require)(_once)?\s*\(?\s*['"]php:\/\/input['"]/ ascii nocase
		$i3 = /\b(include|require)(_once)?\s*\(?\s*['"]data:[^'"\n]{0,40}['"]\s*\.\s*\$_(POST|GET|REQUEST|COOKIE)/ ascii nocase
		$i2 = /\b(include|require)(_once)?\s*\(?\s*(@\s*)?\$_(POST|GET|REQUEST|COOKIE)\s*\[/ ascii nocase
	condition:
		filesize < 4MB and $php and any of ($i*)
}

rule RASOAT_PHP_Named_Callback_Request
{
	meta:
		description = "PHP: a callback-taking function given a code-running function (assert, eval, system, ...) by name, or an uncommon callback function given request data"
		author = "rasoat"
		score = 75
		mitre_attack = "T1505.003, T1027"
	strings:
		$php = "<?" ascii
		$n = /\b(call_user_func|call_user_func_array|array_map|array_filter|array_walk|usort|uasort|uksort|forward_static_call|forward_static_call_array|register_shutdown_function)\s*\(\s*['"]?(assert|system|passthru|shell_exec|exec|popen|proc_open|create_function)['"]?\s*,[^;]{0,80}\$_(POST|GET|REQUEST|COOKIE|SERVER)/ ascii nocase
		$u = /\b(array_intersect_uassoc|array_intersect_ukey|array_uintersect|array_uintersect_assoc|array_uintersect_uassoc|array_udiff|array_udiff_assoc|array_udiff_uassoc|array_diff_ukey|array_diff_uassoc|register_tick_function|iterator_apply)\s*\([^;]{0,100}\$_(POST|GET|REQUEST|COOKIE)\s*\[/ ascii nocase
	condition:
		filesize < 4MB and $php and any of ($n, $u)
}

rule RASOAT_PHP_Dynamic_Call_Decoded_Request
{
	meta:
		description = "PHP: a function held in a variable, or returned by a call, run on (decoded) request data"
		author = "rasoat"
		score = 75
		mitre_attack = "T1505.003, T1027"
	strings:
		$php = "<?" ascii
		$v = /\$\w{1,40}\s*\(\s*(@\s*)?(base64_decode|str_rot13|gzinflate|gzuncompress|hex2bin|urldecode|rawurldecode|strrev|convert_uudecode)\s*\(\s*\$_(POST|GET|REQUEST|COOKIE|SERVER)/ ascii nocase
		$r = /[\w'"\]]\)\(\s*(@\s*)?\$_(GET|POST|REQUEST|COOKIE)\s*\[/ ascii nocase
	condition:
		filesize < 4MB and $php and any of ($v, $r)
}

rule RASOAT_PHP_Eval_Comment_Split
{
	meta:
		description = "PHP obfuscation: a comment placed between eval/assert and its parenthesis, or inside a superglobal's name"
		author = "rasoat"
		score = 75
		mitre_attack = "T1505.003, T1027"
	strings:
		$php = "<?" ascii
		$e = /\b(eval|assert)\s*\/\*[^\n]{0,80}\*\/\s*\(/ ascii nocase
		$g = /\$\s*\/\*[^\n]{0,40}\*\/\s*\{\s*['"]_/ ascii
	condition:
		filesize < 4MB and $php and any of ($e, $g)
}

rule RASOAT_PHP_Junk_Stripped_Name
{
	meta:
		description = "PHP obfuscation: function names recovered by stripping junk characters with str_replace, then run as create_function or a variable function"
		author = "rasoat"
		score = 75
		mitre_attack = "T1505.003, T1027"
	strings:
		$php = "<?" ascii
		$sr = /str_replace\s*\(\s*['"][^'"\n]{1,8}['"]\s*,\s*['"]['"]\s*,\s*['"][a-z_0-9]{14,}['"]\s*\)/ ascii nocase
		$vsr = /\$\w{1,40}\s*\(\s*['"][^'"\n]{1,8}['"]\s*,\s*(''|"")\s*,\s*['"][a-z_0-9]{10,}['"]\s*\)/ ascii nocase
		$cf = /\$\w{1,40}\s*\(\s*(''|"")\s*,\s*(@\s*)?\$\w{1,40}/ ascii
	condition:
		filesize < 1MB and $php and (($sr and ($vsr or $cf)) or #vsr >= 2)
}

rule RASOAT_PHP_Letter_Assembly
{
	meta:
		description = "PHP obfuscation: eval or base64_decode spelled letter by letter or with arithmetic ('e'.'v'.'a'.'l', 'base'.(32*2).'_de'), or preg_replace's /e built with chr(101)"
		author = "rasoat"
		score = 75
		mitre_attack = "T1505.003, T1027"
	strings:
		$php = "<?" ascii
		$ev = /(\.'v'|\."v")\s*\.\s*['"]a['"]\s*\.\s*['"]l['"]/ ascii nocase
		$as = /(\.'s'|\."s")\s*\.\s*['"]s['"]\s*\.\s*['"]e['"]/ ascii nocase
		$b64 = /['"]base['"]\s*\.\s*\(\s*\d+\s*[*+]\s*\d+\s*\)\s*\.\s*['"]_de/ ascii nocase
		$pe = /preg_replace\s*\([^;]{0,200}chr\s*\(\s*101\s*\)/ ascii nocase
	condition:
		filesize < 4MB and $php and any of ($ev, $as, $b64, $pe)
}

rule RASOAT_PHP_Eval_Remote_Code
{
	meta:
		description = "PHP: code fetched from a URL or read from a file named by the request, then evaluated"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1105"
	strings:
		$php = "<?" ascii
		$d = /\b(eval|assert)\s*\(\s*(@\s*)?(file_get_contents|curl_exec|gzinflate\s*\(\s*file_get_contents)\s*\(/ ascii nocase
		$url = /file_get_contents\s*\(\s*(['"]https?:\/\/|\$_(GET|POST|REQUEST|COOKIE)\s*\[)/ ascii nocase
		$loop = /while\s*\(\s*\$\w+\s*=\s*(@\s*)?file_get_contents\s*\(/ ascii nocase
		$ev = /\b(eval|assert)\s*\(\s*\$\w+\s*\)/ ascii nocase
	condition:
		(filesize < 4MB and $php and $d) or (filesize < 5KB and $php and ($url or $loop) and $ev)
}

rule RASOAT_PHP_Upload_Anywhere
{
	meta:
		description = "PHP uploader: an uploaded file stored at a path the request names, or under its own name in a small upload page"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1105"
	strings:
		$php = "<?" ascii
		$to_req = /(move_uploaded_file|copy)\s*\(\s*\$(HTTP_POST_FILES|_FILES)\s*\[[^\]]{1,40}\]\s*\[\s*['"]tmp_name['"]\s*\](\s*\[[^\]]{1,20}\])?\s*,\s*(\$_(POST|GET|REQUEST)|\$HTTP_POST_VARS)\s*\[/ ascii nocase
		$own = /(move_uploaded_file|copy)\s*\(\s*\$(HTTP_POST_FILES|_FILES)\s*\[[^\]]{1,40}\]\s*\[\s*['"]tmp_name['"]\s*\](\s*\[[^\]]{1,20}\])?\s*,\s*\$(HTTP_POST_FILES|_FILES)\s*\[[^\]]{1,40}\]\s*\[\s*['"]name['"]\s*\]/ ascii nocase
		$old = /\$HTTP_POST_FILES\s*\[[^\]]{1,40}\]\s*\[\s*['"]tmp_name['"]\s*\]/ ascii nocase
		$form = /enctype\s*=\s*['"]?multipart\/form-data/ ascii nocase
	condition:
		filesize < 4MB and $php and ($to_req or (filesize < 20KB and $form and ($own or $old)))
}

rule RASOAT_PHP_Globals_Loop_Dynamic_Call
{
	meta:
		description = "PHP: request variables turned into variables ($$key = $value) in a small file that runs a variable as a function or evaluates it"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003"
	strings:
		$php = "<?" ascii
		$loop = /foreach\s*\(\s*array\s*\(\s*['"]_(COOKIE|POST|GET|REQUEST)['"]/ ascii nocase
		$vv = /\$\$\w{1,40}\s*=/ ascii
		$c1 = /\$\w{1,40}\s*\(\s*\$\$?\w{1,40}\s*(,\s*\$\$?\w{1,40}\s*)?\);/ ascii
		$c2 = /\b(eval|assert)\s*\(\s*\$/ ascii nocase
		$c3 = /newInstance\s*\(\s*\$/ ascii
	condition:
		filesize < 5KB and $php and $loop and $vv and any of ($c*)
}

rule RASOAT_Perl_CGI_Request_To_Shell
{
	meta:
		description = "Perl CGI: a variable taken from param() or QUERY_STRING run in backticks, qx, system/exec or a piped open"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$in1 = /\$\w{1,40}\s*=\s*(\$\w{1,40}\s*->\s*|CGI::)?param\s*\(\s*['"]/ ascii
		$in2 = /\$\w{1,40}\s*=\s*\$ENV\s*\{\s*['"]?QUERY_STRING/ ascii
		$x1 = /`\$\w{1,40}[^`\n]{0,40}`/ ascii
		$x2 = /\bopen\s*\(?\s*["']?\w+["']?\s*,\s*["']\s*\$\w{1,40}[^"'\n]{0,20}\|\s*["']/ ascii
		$x3 = /\b(system|exec)\s*\(?\s*["']?\$\w{1,40}["']?\s*\)?\s*;/ ascii
		$x4 = /\bqx\s*[\/({\[|]\s*\$\w{1,40}/ ascii
		$cgi1 = /\buse\s+CGI\b/ ascii
		$cgi2 = /Content-type\s*:/ ascii nocase
		$cgi3 = "QUERY_STRING" ascii
	condition:
		filesize < 1MB and any of ($in*) and any of ($x*) and any of ($cgi*)
}

rule RASOAT_Python_Socket_Popen_Loop
{
	meta:
		description = "Python backdoor: data received on a socket run by os.popen/popen2/subprocess and the output sent back"
		author = "rasoat"
		score = 65
		mitre_attack = "T1059.006, T1571"
	strings:
		$s1 = /socket\s*\.\s*socket\s*\(/ ascii
		$s2 = /from\s+socket\s+import\s+\*/ ascii
		$s3 = /\bsocket\s*\(\s*AF_INET/ ascii
		$r = /=\s*\w{1,30}\s*\.\s*recv\s*\(/ ascii
		$w = /\.\s*(send|sendall)\s*\(/ ascii
		$x1 = /os\s*\.\s*popen[234]?\s*\(\s*[^)'"\n]{0,40}\b(cmd|data|command|pcmd|line|buf)\b/ ascii
		$x2 = /popen2\s*\.\s*popen[234]\s*\(\s*(cmd|data|command|pcmd|line|buf)\b/ ascii
	condition:
		filesize < 1MB and any of ($s*) and $r and $w and any of ($x*)
}

rule RASOAT_Python_CGI_Form_Exec
{
	meta:
		description = "Python CGI shell: cgi.FieldStorage values run by os.popen2/popen3/popen4 or commands/popen2 helpers"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$in = /cgi\s*\.\s*FieldStorage\s*\(/ ascii
		$g = /\.\s*getvalue\s*\(/ ascii
		$x = /(os\s*\.\s*popen[234]|popen2\s*\.\s*popen[234]|commands\s*\.\s*getstatusoutput)\s*\(/ ascii
	condition:
		filesize < 2MB and $in and $g and $x
}

rule RASOAT_Node_Shell_Over_Socket
{
	meta:
		description = "Node.js: a shell process spawned and piped to a network socket (connect-back or bind shell)"
		author = "rasoat"
		score = 70
		mitre_attack = "T1059.007, T1571"
	strings:
		$net = /require\s*\(\s*['"](node:)?net['"]\s*\)/ ascii
		$cp = /require\s*\(\s*['"](node:)?child_process['"]\s*\)/ ascii
		$sp = /\bspawn\s*\(\s*(shell|sh|cmd|['"](\/bin\/(ba)?sh|cmd(\.exe)?)['"])/ ascii
		$p1 = /\.\s*stdout\s*\.\s*pipe\s*\(/ ascii
		$p2 = /\.\s*pipe\s*\(\s*\w{1,20}\s*\.\s*stdin\s*\)/ ascii
		$p3 = /\.\s*stdin\s*\.\s*write\s*\(/ ascii
		$p4 = /\.\s*stdout\s*\.\s*on\s*\(\s*['"]data['"]/ ascii
	condition:
		filesize < 1MB and $net and $cp and $sp and ($p1 or $p2 or ($p3 and $p4))
}
