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
		// documentation that starts as Markdown or POD (CGI.pm's README quotes param() examples)
		$doc = /(# NAME|=head1|=pod)\b/ ascii
	condition:
		filesize < 1MB and any of ($in*) and any of ($x*) and any of ($cgi*) and not $doc at 0
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
		// the same calls given one string literal alone (a fixed command)
		$lit = /(os\s*\.\s*popen[234]|popen2\s*\.\s*popen[234]|commands\s*\.\s*getstatusoutput)\s*\(\s*['"][^'"\n]*['"]\s*[,)]/ ascii
	condition:
		filesize < 2MB and $in and $g and #x > #lit
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

rule RASOAT_PHP_Disable_Functions_Bypass
{
	meta:
		description = "PHP: runs commands around disable_functions (LD_PRELOAD set before mail/error_log, FFI calling system, the zif_system memory-corruption proofs of concept)"
		author = "rasoat"
		score = 75
		mitre_attack = "T1505.003, T1562.001"
	strings:
		$php = "<?" ascii
		$ld = /putenv\s*\(\s*["']LD_PRELOAD=/ ascii nocase
		$trig = /\b(mail|error_log|mb_send_mail|imap_mail)\s*\(/ ascii nocase
		$ffi = /FFI\s*::\s*cdef\s*\([^;]{0,300}\b(system|popen|execve?)\s*\(/ ascii nocase
		$zif = "zif_system" ascii
	condition:
		filesize < 4MB and (($php and $ld and $trig) or ($php and $ffi) or $zif)
}

rule RASOAT_PHP_Socket_Tunnel
{
	meta:
		description = "PHP HTTP tunnel (reGeorg and its kin): request headers or commands (CONNECT, FORWARD, READ, DISCONNECT) drive a socket to an internal host"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1572"
	strings:
		$php = "<?" ascii
		$h1 = "HTTP_X_CMD" ascii nocase
		$h2 = "X-CMD" ascii nocase
		$c1 = /["']CONNECT["']/ ascii
		$c2 = /["']DISCONNECT["']/ ascii
		$c3 = /["']FORWARD["']/ ascii
		$c4 = /["']READ["']/ ascii
		$s = /\b(fsockopen|socket_create|stream_socket_client|socket_connect)\s*\(/ ascii nocase
	condition:
		filesize < 1MB and $php and $s and (any of ($h*) or 4 of ($c*))
}

rule RASOAT_PHP_Command_Form_Page
{
	meta:
		description = "PHP shell page: a command-execution function run on a variable, in a page with a text field and shell vocabulary (commands, uname, /etc/passwd)"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1059.004"
	strings:
		$php = "<?" ascii
		$x = /\b(system|passthru|shell_exec|popen|exec)\s*\(\s*["']?\$\w{1,40}["']?\s*[,)]/ ascii nocase
		$form = /<form[^>]{0,200}>/ ascii nocase
		$text = /<input[^>]{0,120}(type\s*=\s*['"]?text|name\s*=\s*['"]?\w{1,20}['"]?\s+(size|value))/ ascii nocase
		$w1 = "uname -a" ascii nocase
		$w2 = "/etc/passwd" ascii
		$w3 = "whoami" ascii nocase
		$w4 = /\b(komut|comando|commande|befehl)\b/ ascii nocase
		$w5 = /\b(execute|run) (command|cmd)/ ascii nocase
		$w6 = "cmd.exe" ascii nocase
		$w7 = "/bin/sh" ascii
		$w8 = "safe_mode" ascii nocase
		$w9 = "netstat" ascii nocase
		$w10 = /\bshell\b/ ascii nocase
	condition:
		filesize < 400KB and $php and $x and $form and $text and 2 of ($w*)
}

rule RASOAT_PHP_MySQL_UDF_Shell
{
	meta:
		description = "PHP: writes a MySQL UDF library or a MOF file with INTO DUMPFILE and defines the command function (sys_exec, sys_eval, cmdshell)"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1068"
	strings:
		$php = "<?" ascii
		$d = /into\s+dumpfile/ ascii nocase
		$so = /returns\s+(string|integer|int)\s+soname/ ascii nocase
		$u1 = /\b(sys_exec|sys_eval|cmdshell|lib_mysqludf_sys|udf\.dll)\b/ ascii nocase
		$u2 = "wbem/mof" ascii nocase
	condition:
		filesize < 4MB and $php and ($d or $so) and any of ($u*)
}

rule RASOAT_PHP_Mail_Beacon
{
	meta:
		description = "PHP beacon: collects the server's document root, the script's path and the visitor's addresses on one line and mails them (tells the attacker where a shell landed)"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1041"
	strings:
		$php = "<?" ascii
		$s = /\$\w{1,20}[ \t]*=[ \t]*\$_SERVER\[['"](HTTP_REFERER|DOCUMENT_ROOT|REMOTE_ADDR|SCRIPT_FILENAME|SERVER_ADDR|HTTP_HOST|PHP_SELF|SERVER_NAME)['"]\];[ \t]*\$\w{1,20}[ \t]*=[ \t]*\$_SERVER\[['"](HTTP_REFERER|DOCUMENT_ROOT|REMOTE_ADDR|SCRIPT_FILENAME|SERVER_ADDR|HTTP_HOST|PHP_SELF|SERVER_NAME)['"]\];[ \t]*\$\w{1,20}[ \t]*=[ \t]*\$_SERVER\[/ ascii
		$doc = "DOCUMENT_ROOT" ascii
		$m = /\bmail\s*\(/ ascii nocase
	condition:
		filesize < 1MB and $php and $s and $doc and $m
}

rule RASOAT_PHP_Request_Path_Browser
{
	meta:
		description = "PHP: a small page that lists or prints whatever directory or file the request names, with no confinement"
		author = "rasoat"
		score = 60
		mitre_attack = "T1505.003, T1083"
	strings:
		$php = "<?" ascii
		$in = /\$\w{1,30}\s*=\s*\$_(GET|POST|REQUEST)\s*\[\s*['"](file|dir|path|d|f|fichero|dosya|folder)['"]\s*\]/ ascii nocase
		$od = /opendir\s*\(\s*\$/ ascii nocase
		$rd = "readdir" ascii nocase
		$rf = /\b(fopen|readfile|file_get_contents|highlight_file|show_source)\s*\(\s*\$/ ascii nocase
		$a = /<a\s+href\s*=\s*["']?\?/ ascii nocase
		$ck1 = "realpath" ascii nocase
		$ck2 = "basename" ascii nocase
	condition:
		filesize < 6KB and $php and $in and $od and $rd and $rf and $a and not any of ($ck*)
}

rule RASOAT_PHP_File_Manager_Shell
{
	meta:
		description = "PHP file-manager shell: one page showing file owners and permissions, changing files (chmod, unlink, mkdir, write) and uploading or running commands"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1083"
	strings:
		$php = "<?" ascii
		$ow1 = "posix_getpwuid" ascii nocase
		$ow2 = "posix_geteuid" ascii nocase
		$ow3 = "getmyuid" ascii nocase
		$ow4 = "get_current_user" ascii nocase
		$perm = "fileperms" ascii nocase
		$op1 = /\bchmod\s*\(/ ascii nocase
		$op2 = /\bunlink\s*\(/ ascii nocase
		$op3 = /\bmkdir\s*\(/ ascii nocase
		$op4 = /\b(opendir|scandir)\s*\(/ ascii nocase
		$op5 = /\b(fwrite|fputs|file_put_contents)\s*\(/ ascii nocase
		$op6 = /\brename\s*\(/ ascii nocase
		$pw1 = "move_uploaded_file" ascii nocase
		$pw2 = /\b(system|passthru|shell_exec|popen|proc_open)\s*\(/ ascii nocase
		$pw3 = "php_uname" ascii nocase
		$ui = /<(form|input)\b/ ascii nocase
	condition:
		filesize < 2MB and $php and $perm and $ui and any of ($ow*) and 3 of ($op*) and any of ($pw*)
}

rule RASOAT_Webshell_Family_Banner
{
	meta:
		description = "Server-side script carrying the name or banner of a known webshell family (c99, r57, WSO/FilesMan, b374k, PhpSpy, IndoXploit, Locus7, ...)"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003"
	strings:
		$code1 = "<?" ascii
		$code2 = "<%" ascii
		$code3 = /#!\s*\/\S*(perl|python)/ ascii
		$b1 = /\bc99\s?(shell|sh\b|_|madshell)/ ascii nocase
		$b2 = /\br57\s?(shell|sh\b)/ ascii nocase
		$b3 = "FilesMan" ascii
		$b4 = /\bWSO [0-9]\.[0-9]/ ascii
		$b5 = "b374k" ascii nocase
		$b6 = /\bPhpSpy\b/ ascii nocase
		$b7 = "IndoXploit" ascii nocase
		$b8 = "Locus7s" ascii nocase
		$b9 = "Crystal Shell" ascii nocase
		$b10 = "phpRemoteView" ascii nocase
		$b11 = "Dive Shell" ascii nocase
		$b12 = "Antichat Shell" ascii nocase
		$b13 = "NCC-Shell" ascii nocase
		$b14 = "AventGrup" ascii nocase
		$b15 = "Ajax/PHP Command Shell" ascii nocase
		$b16 = "Storm7Shell" ascii nocase
		$b17 = "GFS Web-Shell" ascii nocase
		$b18 = "STNC WebShell" ascii nocase
		$b19 = "Ani-Shell" ascii nocase
		$b20 = "h4ntu shell" ascii nocase
		$b21 = "Safe0ver" ascii nocase
		$b22 = "JspSpy" ascii nocase
		$b23 = "Fx29Sh" ascii nocase
		$b24 = "SimAttacker" ascii nocase
		$b25 = "KAdot Universal Shell" ascii nocase
		$b26 = "Mini Shell" ascii nocase
		$b27 = "NIX REMOTE WEB-SHELL" ascii nocase
		$b28 = "PHP-Shell" ascii nocase
		$b29 = /\bweb ?shell by\b/ ascii nocase
		$b31 = "CasuS" ascii
		$b32 = "ru24PostWebShell" ascii nocase
		$b34 = "Cyber Shell" ascii nocase
		$b35 = "lostDC" ascii nocase
		$b36 = "SnIpEr_SA" ascii nocase
		$b37 = "MyShell" ascii
		$b38 = "Sincap" ascii
		$b39 = "Loader'z WEB Shell" ascii nocase
		$b40 = "PHPJackal" ascii nocase
		$b41 = "ASPXSpy" ascii nocase
		$b42 = "Uploader by" ascii nocase
		// "hacked by" counts outside Python modules (a source colouriser's docstring says "Hacked by <author>")
		$h1 = "hacked by" ascii nocase
		$pymod = /(^|\n)(import [A-Za-z_][\w.]*|from [A-Za-z_][\w.]* import [\w*(])/ ascii
	condition:
		filesize < 4MB and uint32(0) != 0x464c457f and any of ($code*) and (any of ($b*) or ($h1 and not $pymod))
}

rule RASOAT_PHP_Back_Connect
{
	meta:
		description = "PHP back-connect or bind shell: a socket opened from the page wired to a shell (/bin/sh, cmd.exe) through proc_open/popen/exec"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1059.004, T1571"
	strings:
		$php = "<?" ascii
		$s = /\b(fsockopen|stream_socket_client|stream_socket_server|socket_connect|socket_bind)\s*\(/ ascii nocase
		$sh = /(\/bin\/(ba)?sh|cmd\.exe|sh -i)/ ascii nocase
		$x = /\b(proc_open|popen|shell_exec|system|exec|passthru)\s*\(/ ascii nocase
		$in = /\$_(GET|POST|REQUEST|SERVER)\s*\[/ ascii nocase
	condition:
		filesize < 1MB and $php and $s and $sh and $x and $in
}

rule RASOAT_PHP_Config_Grabber
{
	meta:
		description = "PHP config grabber: walks other users' home directories or symlinks their CMS configuration files (wp-config.php, configuration.php) to read them"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1552.001"
	strings:
		$php = "<?" ascii
		$home = /["']\/home\/["']?\s*\.\s*\$\w{1,30}\s*\.\s*["']\/(public_html|www|htdocs)/ ascii nocase
		$sym = /\bsymlink\s*\(/ ascii nocase
		$passwd = "/etc/passwd" ascii
		$c1 = "wp-config.php" ascii nocase
		$c2 = "configuration.php" ascii nocase
		$c3 = "config.inc.php" ascii nocase
	condition:
		filesize < 2MB and $php and (($home and ($passwd or $sym)) or ($sym and $passwd and 2 of ($c*)))
}

rule RASOAT_PHP_Safe_Mode_Writer
{
	meta:
		description = "PHP: writes a php.ini or .htaccess that turns safe_mode, disable_functions or mod_security off"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1562.001"
	strings:
		$php = "<?" ascii
		$w = /(fopen|file_put_contents)\s*\(\s*['"](\.\/)?(php\.ini|\.htaccess|\.user\.ini|ini\.php)['"]/ ascii nocase
		$o1 = /safe_mode\s*=\s*(off|0)/ ascii nocase
		$o2 = /disable_functions\s*=\s*(none|""|\\n|\\r|$)/ ascii nocase
		$o3 = /SecFilterEngine\s+Off/ ascii nocase
		$o4 = /SecFilterScanPOST\s+Off/ ascii nocase
	condition:
		filesize < 2MB and $php and $w and any of ($o*)
}

rule RASOAT_PHP_Sql_Console_Page
{
	meta:
		description = "PHP SQL console page: connects to a database server the form names and runs the query typed in a text area"
		author = "rasoat"
		score = 60
		mitre_attack = "T1505.003"
	strings:
		$php = "<?" ascii
		$q = /\b(mysql_query|mysqli_query|pg_query|mssql_query|mysql_db_query)\s*\(\s*(\$\w{1,30}\s*,\s*)?\$\w{1,30}/ ascii nocase
		$c = /\b(mysql_connect|mysqli_connect|pg_connect|mssql_connect|mysql_pconnect)\s*\(\s*\$/ ascii nocase
		$t = /<textarea[^>]{0,120}name\s*=\s*["']?\w{0,12}(query|sql|cmd)/ ascii nocase
	condition:
		filesize < 1MB and $php and $q and $c and $t
}

rule RASOAT_PHP_Extract_Request_Shell
{
	meta:
		description = "PHP: request data spread into variables (extract, import_request_variables, each($_POST)) in a page that runs commands or edits files"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003"
	strings:
		$php = "<?" ascii
		$e1 = /\bextract\s*\(\s*\$_(POST|GET|REQUEST|COOKIE)\b/ ascii nocase
		$e2 = /\bimport_request_variables\s*\(/ ascii nocase
		$e3 = /\beach\s*\(\s*\$_(POST|GET|REQUEST)\s*\)/ ascii nocase
		$x1 = /\b(system|passthru|shell_exec|popen|proc_open)\s*\(\s*["']?\$/ ascii nocase
		$x2 = /\bfpassthru\s*\(/ ascii nocase
		$x3 = /\b(unlink|rmdir|chmod)\s*\(\s*["']?\$/ ascii nocase
		$x4 = /\b(eval|assert)\s*\(\s*\$/ ascii nocase
		$ui = /<form\b/ ascii nocase
	condition:
		filesize < 1MB and $php and any of ($e*) and 2 of ($x*) and $ui
}
