/*
 * webshells_php.yar — generic PHP webshell techniques, one rule per technique
 * (not per sample): request data or a decoded blob reaching eval, command
 * execution, file write or SQL; obfuscation layers (decoder chains, chr()
 * and "\x" assembly, string concatenation of function names, XOR-built
 * names, variable functions); file-manager and uploader shells told by the
 * set of shell features they carry together. Written for rasoat.
 * ATT&CK T1505.003 (Server Software Component: Web Shell), T1027
 * (Obfuscated Files or Information) where a rule is about obfuscation.
 */
rule RASOAT_PHP_Eval_Decoded_Blob
{
	meta:
		description = "PHP: eval/assert of a decoder (base64_decode, gzinflate, str_rot13, ...) applied to an encoded payload"
		author = "rasoat"
		score = 75
		mitre_attack = "T1505.003, T1027"
	strings:
		$php = "<?" ascii
		$e1 = /(eval|assert)\s*\(\s*(@\s*)?(\$\w+\s*\(\s*)?(gzinflate|gzuncompress|gzdecode|str_rot13|strrev|base64_decode|convert_uudecode|hex2bin|rawurldecode|urldecode|pack)\s*\(/ ascii nocase
		$e2 = /(eval|assert)\s*\(\s*['"]\?>['"]\s*\.\s*(gzinflate|gzuncompress|gzdecode|base64_decode|str_rot13)/ ascii nocase
		$e3 = /(eval|assert)\s*\(\s*(@\s*)?["']\?>["']\s*\.\s*\$/ ascii nocase
		$e4 = /(eval|assert)\s*\(\s*(@\s*)?\$\w{1,40}\s*\(/ ascii nocase
		$dec = /(gzinflate|gzuncompress|str_rot13)\s*\(/ ascii nocase
	condition:
		filesize < 4MB and uint32(0) != 0x464c457f and $php and ($e1 or $e2 or $e4 or ($e3 and $dec))
}

rule RASOAT_PHP_Preg_Replace_Eval
{
	meta:
		description = "PHP: preg_replace with the /e modifier (code evaluation) or an escaped pattern hiding it"
		author = "rasoat"
		score = 75
		mitre_attack = "T1505.003, T1027"
	strings:
		$php = "<?" ascii
		$e = /preg_replace\s*\(\s*['"](\/|#|!|@|~).{0,60}(\/|#|!|@|~)[imsxu]*e[imsxu]*['"]\s*,/ ascii nocase
		$hex = /preg_replace\s*\(\s*["']\\x[0-9a-f]{2}/ ascii nocase
	condition:
		filesize < 4MB and $php and any of ($e, $hex)
}

rule RASOAT_PHP_Request_As_Function
{
	meta:
		description = "PHP: request data called as a function, or a variable function fed with request data"
		author = "rasoat"
		score = 80
		mitre_attack = "T1505.003"
	strings:
		$php = "<?" ascii
		$call = /\$_(POST|GET|REQUEST|COOKIE|SERVER)\s*\[[^\]]{1,40}\]\s*\(/ ascii nocase
		$var = /@?\$\{?\w{1,30}\}?\s*\(\s*(@\s*)?(stripslashes\s*\(\s*)?\$_(POST|GET|REQUEST|COOKIE)\s*\[/ ascii nocase
		$cf = /create_function\s*\([^;]{0,80}\$_(POST|GET|REQUEST|COOKIE)/ ascii nocase
		$cb = /(array_map|call_user_func|call_user_func_array|register_shutdown_function)\s*\(\s*(@\s*)?\$_(POST|GET|REQUEST|COOKIE)/ ascii nocase
	condition:
		// a request value called only after PHP's opening tag: text that
		// quotes "$_SERVER['HTTPS'] (#123)" before any "<?" (a changelog) is not code
		filesize < 4MB and $php and (for any i in (1..#call) : (@call[i] > @php[1]) or any of ($var, $cf, $cb))
}

rule RASOAT_PHP_Eval_Request_Anywhere
{
	meta:
		description = "PHP: eval/assert of a request value, directly or through a variable that holds it"
		author = "rasoat"
		score = 80
		mitre_attack = "T1505.003"
	strings:
		$php = "<?" ascii
		$d = /(eval|assert)\s*\(\s*(@\s*)?(stripslashes|trim|base64_decode|urldecode)?\s*\(?\s*\$_(POST|GET|REQUEST|COOKIE|SERVER)/ ascii nocase
		$concat = /(eval|assert)\s*\(\s*["'][^"']{0,20}["']\s*\.\s*\$_(POST|GET|REQUEST|COOKIE)/ ascii nocase
		$glob = /\$GLOBALS\s*\[[^\]]{1,40}\]\s*\(\s*\$_(POST|GET|REQUEST|COOKIE)/ ascii nocase
	condition:
		filesize < 4MB and uint32(0) != 0x464c457f and $php and any of ($d, $concat, $glob)
}

rule RASOAT_PHP_Command_On_Input
{
	meta:
		description = "PHP: command execution (system, passthru, shell_exec, popen, proc_open, backticks) next to request data and shell-style output"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1059.004"
	strings:
		$php = "<?" ascii
		$x1 = /\b(system|passthru|shell_exec|popen|proc_open|pcntl_exec)\s*\(\s*(@\s*)?((stripslashes|trim|urldecode|base64_decode|rawurldecode)\s*\(\s*)?["']?\$/ ascii nocase
		$x4 = /\b(system|passthru|shell_exec|popen|proc_open)\s*\(\s*['"][^'"\n]{0,40}['"]\s*\.\s*\$/ ascii nocase
		$x2 = /\bexec\s*\(\s*\$\w+\s*,\s*\$\w+/ ascii nocase
		$x3 = /`\$\w{1,30}`/ ascii
		$in = /\$_(POST|GET|REQUEST|COOKIE)\s*\[/ ascii nocase
		$in2 = /\$HTTP_(POST|GET)_VARS/ ascii nocase
		$s1 = "2>&1" ascii
		$s2 = "uname -a" ascii nocase
		$s3 = "cmd" ascii nocase
		$s4 = "<pre" ascii nocase
		$s5 = "/etc/passwd" ascii
		$s6 = "whoami" ascii
		$s7 = "netstat" ascii
		$s8 = "/bin/sh" ascii
		$s9 = "cmd.exe" ascii nocase
	condition:
		filesize < 4MB and uint32(0) != 0x464c457f and $php and any of ($x*) and any of ($in*) and 2 of ($s*)
}

rule RASOAT_PHP_Exec_Function_Probe
{
	meta:
		description = "PHP: probes which command-execution functions are enabled (the fallback loop of webshells)"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003"
	strings:
		$php = "<?" ascii
		$f1 = /function_exists\s*\(\s*['"](system|passthru|shell_exec|exec|popen|proc_open)['"]/ ascii nocase
		$f2 = /is_callable\s*\(\s*['"](system|passthru|shell_exec|exec|popen|proc_open)['"]/ ascii nocase
		$f3 = /(function_exists|is_callable)\s*\(\s*\$/ ascii nocase
		$l1 = /['"]system['"]\s*[,)\]]/ ascii nocase
		$l2 = /['"]passthru['"]\s*[,)\]]/ ascii nocase
		$l3 = /['"]shell_exec['"]\s*[,)\]]/ ascii nocase
		$l4 = /['"]proc_open['"]\s*[,)\]]/ ascii nocase
		$l5 = /['"]popen['"]\s*[,)\]]/ ascii nocase
	condition:
		filesize < 4MB and $php and ((#f1 + #f2) >= 3 or (4 of ($l*) and any of ($f*)))
}

rule RASOAT_PHP_Shell_Recon_Toolkit
{
	meta:
		description = "PHP file-manager/shell: host reconnaissance (uname, uid, safe_mode, disable_functions) with file or command operations on request data"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1082"
	strings:
		$php = "<?" ascii
		$r1 = "php_uname" ascii nocase
		$r2 = "posix_getpwuid" ascii nocase
		$r3 = "safe_mode" ascii nocase
		$r4 = "disable_functions" ascii nocase
		$r5 = "getmyuid" ascii nocase
		$r6 = "open_basedir" ascii nocase
		$r7 = "posix_geteuid" ascii nocase
		$r8 = "get_current_user" ascii nocase
		$r9 = "disk_free_space" ascii nocase
		$o1 = /\b(system|passthru|shell_exec|popen|proc_open|exec)\s*\(/ ascii nocase
		$o2 = "move_uploaded_file" ascii nocase
		$o3 = /\b(unlink|rmdir|chmod|rename)\s*\(\s*\$/ ascii nocase
		$o4 = /\b(mysql_connect|mysqli_connect|mysql_query)\s*\(/ ascii nocase
		$o5 = /\b(fsockopen|socket_create)\s*\(/ ascii nocase
		$in = /\$_(POST|GET|REQUEST|COOKIE|FILES)\s*\[/ ascii nocase
	condition:
		filesize < 4MB and $php and $in and 3 of ($r*) and 3 of ($o*)
}

rule RASOAT_PHP_Uploader
{
	meta:
		description = "PHP uploader shell: stores an uploaded file under its own name with no check, in a page that is nothing else"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1105"
	strings:
		$php = "<?" ascii
		$mv = /(move_uploaded_file|copy)\s*\(\s*\$_FILES\s*\[[^\]]{1,40}\]\s*\[\s*['"]tmp_name['"]\s*\]\s*,[^;]{0,80}\$_FILES\s*\[[^\]]{1,40}\]\s*\[\s*['"]name['"]\s*\]/ ascii nocase
		$form = /enctype\s*=\s*['"]?multipart\/form-data/ ascii nocase
		$ok = /(upload|success|berhasil|ok|done)/ ascii nocase
	condition:
		filesize < 20KB and $php and $mv and $form and $ok
}

rule RASOAT_PHP_Write_Request_To_File
{
	meta:
		description = "PHP: writes request data into a file (a dropper or an editor of the server's files)"
		author = "rasoat"
		score = 60
		mitre_attack = "T1505.003, T1105"
	strings:
		$php = "<?" ascii
		$w1 = /(file_put_contents|fwrite|fputs)\s*\([^;]{0,80}\$_(POST|GET|REQUEST|COOKIE)\s*\[/ ascii nocase
		$w2 = /fopen\s*\(\s*\$_(POST|GET|REQUEST)\s*\[[^;]{0,60}['"][wa]\+?['"]/ ascii nocase
		$s1 = /\b(system|passthru|shell_exec|popen|proc_open)\s*\(/ ascii nocase
		$s2 = "php_uname" ascii nocase
		$s3 = "base64_decode" ascii nocase
		$s4 = "chmod" ascii nocase
		$s5 = "safe_mode" ascii nocase
	condition:
		filesize < 4MB and $php and any of ($w*) and 2 of ($s*)
}

rule RASOAT_PHP_Char_Assembly
{
	meta:
		description = "PHP obfuscation: code or function names assembled from chr() calls or \\x escapes"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1027"
	strings:
		$php = "<?" ascii
		$chr = /chr\s*\(\s*(6[5-9]|[78]\d|9[05789]|1[01]\d|12[0-2])\s*\)\s*\.\s*chr\s*\(\s*(6[5-9]|[78]\d|9[05789]|1[01]\d|12[0-2])\s*\)\s*\.\s*chr\s*\(\s*(6[5-9]|[78]\d|9[05789]|1[01]\d|12[0-2])\s*\)\s*\.\s*chr\s*\(\s*(6[5-9]|[78]\d|9[05789]|1[01]\d|12[0-2])\s*\)/ ascii nocase
		$hexfn = /["'](\\x(4[1-9a-f]|5[0-9af]|6[1-9a-f]|7[0-9a])){4,}["']\s*[;.)]/ ascii nocase
		$hexeval = /\\x65\\x76\\x61\\x6c|\\x62\\x61\\x73\\x65\\x36\\x34|\\x67\\x7a\\x69\\x6e|\\x73\\x79\\x73\\x74\\x65\\x6d|\\x61\\x73\\x73\\x65\\x72\\x74/ ascii nocase
		$octeval = /\\145\\166\\141\\154|\\142\\141\\163\\145\\66\\64|\\163\\171\\163\\164\\145\\155/ ascii
		$sink = /\b(eval|assert|create_function|call_user_func|array_map)\s*\(/ ascii nocase
	condition:
		filesize < 4MB and $php and ($hexeval or $octeval or ((#chr >= 2 or #hexfn >= 3) and $sink))
}

rule RASOAT_PHP_Split_Function_Name
{
	meta:
		description = "PHP obfuscation: a dangerous function name built from string pieces ('ba'.'se64_de'.'code', 'ev'.'al', 'cr'.'eate_function') and called through a variable"
		author = "rasoat"
		score = 75
		mitre_attack = "T1505.003, T1027"
	strings:
		$php = "<?" ascii
		$split1 = /['"](ba|bas|base|base6|base64|base64_|base64_d|base64_de|base64_dec|base64_deco|base64_decod)['"]\s*\.\s*['"]/ ascii nocase
		$split2 = /['"](ev|eva|as|ass|asse|asser|sys|syst|syste|cr|cre|crea|creat|create_|gzin|gzinf|gzinfl|gzinfla|str_r|str_ro|str_rot|shell_|pass|passt|passth|passthr)['"]\s*\.\s*['"](al|l|val|sert|ert|rt|t|tem|em|m|eate|ate|te|e|_function|function|flate|late|ate|te|ot13|t13|13|exec|xec|thru|hru|ru|u)/ ascii nocase
	condition:
		filesize < 4MB and $php and ($split1 or $split2)
}

rule RASOAT_PHP_Xor_Or_Reversed_Names
{
	meta:
		description = "PHP obfuscation: function or superglobal names built by XOR of strings, by strrev, or from ${'_'.'POST'}"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1027"
	strings:
		$php = "<?" ascii
		$xor1 = /"\^"[^"\s]{2,20}"\s*;/ ascii
		$xor2 = /'\^'[^'\s]{2,20}'\s*;/ ascii
		$xor3 = /" \^ "[^"\s]{2,20}"\s*;/ ascii
		$xor4 = /' \^ '[^'\s]{2,20}'\s*;/ ascii
		$rev = /strrev\s*\(\s*['"](lave|tressa|metsys|urhtssap|cexe_llehs|edoced_46esab|etalfnizg|31tor_rts)['"]/ ascii nocase
		$sg = /\$\{\s*['"]_['"]\s*\.\s*['"](P|G|R|C)/ ascii nocase
		$dyn1 = "${$" ascii
		$dyn2 = /\b(eval|assert)\s*\(/ ascii nocase
	condition:
		filesize < 4MB and $php and ((any of ($xor*) and any of ($dyn*)) or $rev or $sg)
}

rule RASOAT_PHP_Long_Encoded_Payload
{
	meta:
		description = "PHP: a very long base64 or hex string literal next to a decoder and a code-running sink"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1027"
	strings:
		$php = "<?" ascii
		$blob = /(base64_decode|gzinflate|gzuncompress|str_rot13|convert_uudecode)\s*\(\s*['"][A-Za-z0-9+\/=\\]{500}/ ascii nocase
		$hexblob = /(pack\s*\(\s*['"]H\*['"]\s*,|hex2bin\s*\()\s*['"][0-9a-fA-F]{500}/ ascii nocase
		$sink1 = /\b(eval|assert|create_function)\s*\(/ ascii nocase
		$sink2 = /preg_replace\s*\(/ ascii nocase
	condition:
		filesize < 4MB and $php and ($blob or $hexblob) and any of ($sink*)
}

rule RASOAT_PHP_Sql_Console
{
	meta:
		description = "PHP SQL console shell: runs a query taken whole from the request"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003"
	strings:
		$php = "<?" ascii
		$q = /(mysql_query|mysqli_query|pg_query|mssql_query|sqlite_query|->query|oci_parse)\s*\(\s*(\$\w+\s*,\s*)?(stripslashes\s*\(\s*)?\$_(POST|GET|REQUEST)\s*\[/ ascii nocase
		$c = /(mysql_connect|mysqli_connect|pg_connect|mssql_connect|new\s+PDO)\s*\([^;]{0,80}\$_(POST|GET|REQUEST)/ ascii nocase
	condition:
		filesize < 4MB and $php and ($q or $c)
}

rule RASOAT_PHP_Callback_Sink
{
	meta:
		description = "PHP: a callback-taking function (array_map, array_udiff*, register_tick_function, forward_static_call*, mb_ereg_replace 'e', ...) given assert/eval or request data as its code"
		author = "rasoat"
		score = 75
		mitre_attack = "T1505.003, T1027"
	strings:
		$php = "<?" ascii
		$a1 = /['"]ass(e|\\x65|\\145)rt['"]/ ascii nocase
		$a2 = /['"]as['"]\s*\.\s*['"]sert['"]/ ascii nocase
		$a3 = /\.\s*['"]ert['"]/ ascii nocase
		$cb = /\b(array_map|array_filter|array_walk|array_walk_recursive|array_reduce|array_udiff|array_udiff_assoc|array_uintersect|array_intersect_uassoc|array_intersect_ukey|array_diff_ukey|array_diff_uassoc|usort|uasort|uksort|register_tick_function|register_shutdown_function|forward_static_call|forward_static_call_array|call_user_func|call_user_func_array|iterator_apply|ob_start|set_error_handler|preg_replace_callback)\s*\(/ ascii nocase
		$in = /\$_(POST|GET|REQUEST|COOKIE|SERVER)\s*\[/ ascii nocase
		$mb = /mb_(ereg|eregi)_replace\s*\([^;]{1,120}['"]e['"]\s*\)/ ascii nocase
	condition:
		filesize < 100KB and $php and (($cb and any of ($a*) and $in) or $mb)
}

rule RASOAT_PHP_Tiny_Dynamic_Call
{
	meta:
		description = "PHP: a few-line file that calls a function whose name comes from a variable, next to request data (a one-line backdoor)"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003"
	strings:
		$php = "<?" ascii
		$in = /\$_(POST|GET|REQUEST|COOKIE|SERVER)\b/ ascii nocase
		$in2 = "php://input" ascii nocase
		$dyn = /\$\w{1,30}(\[[^\]]{1,20}\])?\s?\(\$/ ascii
		$dyn3 = /\$\w{1,30}(\[[^\]]{1,20}\])?\s?\(\s?@\$/ ascii
		$dyn2 = /\}\s*\(\s*\$_/ ascii
	condition:
		filesize < 1500 and $php and any of ($in*) and any of ($dyn*)
}

rule RASOAT_PHP_Raw_Body_Evaluated
{
	meta:
		description = "PHP: the raw request body or a session-held payload decrypted (XOR loop, openssl_decrypt) and run (Behinder/Godzilla-style)"
		author = "rasoat"
		score = 75
		mitre_attack = "T1505.003, T1573"
	strings:
		$php = "<?" ascii
		$body = "php://input" ascii nocase
		$sess = /\$_SESSION\s*\[[^\]]{1,40}\]\s*=/ ascii nocase
		$xor = /\[\s*\$i\s*\+\s*1\s*&\s*15\s*\]/ ascii
		$ssl = "openssl_decrypt" ascii nocase
		$run1 = /\b(eval|assert|create_function)\s*\(/ ascii nocase
		$run2 = /new\s+\$\w+\s*\(/ ascii
		$run3 = /include\s*\(?\s*['"]data:\/\// ascii nocase
	condition:
		filesize < 20KB and $php and ($body or $sess) and ($xor or $ssl) and any of ($run*)
}

rule RASOAT_PHP_Globals_Era_Shell
{
	meta:
		description = "PHP (register_globals era): runs a command from a form field named like cmd/command, without the superglobals"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003"
	strings:
		$php = "<?" ascii
		$x = /\b(system|passthru|shell_exec|popen|exec)\s*\(\s*(["']?\s*)?\$(cmd|command|komut|cmnd|c|execute|exe|kom)\b/ ascii nocase
		$f = /name\s*=\s*["']?(cmd|command|komut|cmnd|c|execute|exe|kom)["'\s>]/ ascii nocase
	condition:
		filesize < 4MB and $php and $x and $f
}

rule RASOAT_PHP_Underscore_Variable_Call
{
	meta:
		description = "PHP obfuscation: code run through variables named only with underscores ($_($__), @$_(...)), a shape of hand-made backdoors"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1027"
	strings:
		$php = "<?" ascii
		$php2 = "<?php" ascii nocase
		$set = /\$_{1,4}\s*=[^=]/ ascii
		$call = /(^|[^\w>:$])@?\$_{1,4}\s*\(/ ascii
	condition:
		filesize < 1MB and $php and $php2 and $set and $call
}

rule RASOAT_PHP_Header_To_Command
{
	meta:
		description = "PHP: an HTTP request header (getenv('HTTP_...'), $_SERVER['HTTP_...']) run as a command or as code"
		author = "rasoat"
		score = 80
		mitre_attack = "T1505.003"
	strings:
		$php = "<?" ascii
		$x = /\b(system|passthru|shell_exec|exec|popen|proc_open|eval|assert)\s*\(\s*(@\s*)?(base64_decode\s*\(\s*)?(getenv\s*\(\s*['"]HTTP_|\$_SERVER\s*\[\s*['"]HTTP_)/ ascii nocase
	condition:
		filesize < 4MB and $php and $x
}

rule RASOAT_PHP_Tiny_Request_Sink
{
	meta:
		description = "PHP: a file of a few lines that hands request data to assert/eval or to a callback-taking function (one-line backdoors and their variants)"
		author = "rasoat"
		score = 60
		mitre_attack = "T1505.003"
	strings:
		$php = "<?" ascii
		$in = /\$_(POST|GET|REQUEST|COOKIE)\s*\[/ ascii nocase
		$s1 = /\b(assert|eval|create_function|array_walk|array_walk_recursive|array_filter|array_map|uasort|usort|uksort|register_tick_function|iterator_apply)\s*\(/ ascii nocase
		$s2 = /['"](assert|eval|lave|tressa)['"]/ ascii nocase
		$s3 = /\]\s*\(\s*\$_(POST|GET|REQUEST|COOKIE)/ ascii nocase
	condition:
		filesize < 1KB and $php and $in and any of ($s*)
}
