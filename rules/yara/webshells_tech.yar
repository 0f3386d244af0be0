/*
 * webshells_tech.yar — more generic webshell techniques, per language:
 * PHP (XOR/bitwise-built names, small request-to-command pages, base64
 * programs carried for dropping), ASP/ASP.NET (request-named file writes,
 * eval of request variables or decoders, reversed code, comment-split eval,
 * downloader writers, database consoles built from input), JSP (embedded
 * class bytes, request-named writes, reflective exec, socket shells) and
 * Perl IRC bots. One rule per technique, never per sample; each has an
 * inert sample under tests/fixtures/webshell/ (test_hunt_webshell_rules.py).
 * Written for rasoat. ATT&CK T1505.003 (Server Software Component: Web Shell).
 */
rule RASOAT_PHP_Xor_Escaped_Name_Call
{
	meta:
		description = "PHP obfuscation: a function name decoded by XOR of a string with a \\x-escaped string, then called through the variable"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1027"
	strings:
		$php = "<?" ascii
		$x1 = /['"][^'"\n]{3,40}['"]\s*\^\s*"(\\x[0-9a-fA-F]{1,2}){3,}/ ascii
		$x2 = /"(\\x[0-9a-fA-F]{1,2}){3,}"\s*\^\s*['"][^'"\n]{3,40}['"]/ ascii
		$call = /\$\w{1,30}\s*\(/ ascii
	condition:
		filesize < 1MB and $php and any of ($x*) and $call
}

rule RASOAT_PHP_Bitwise_String_Soup
{
	meta:
		description = "PHP obfuscation: names assembled from many XOR/OR/AND operations on string literals and bare words (output of PHP obfuscators)"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1027"
	strings:
		$php = "<?" ascii
		$op1 = /\$\w{1,40}\s*=\s*['"][^'"\n]{1,40}['"]\s*[\^|&]\s*[~'"A-Za-z_]/ ascii
		$op2 = /\$\w{1,40}\s*=\s*~?[A-Za-z_][A-Za-z0-9_]{0,20}\s*[\^|&]\s*~?['"]/ ascii
		$op3 = /['"]\s*[\^|&]\s*~[A-Za-z_]/ ascii
	condition:
		filesize < 2MB and $php and (#op1 + #op2 + #op3) >= 6
}

rule RASOAT_PHP_Embedded_Script_Dropper
{
	meta:
		description = "PHP: base64 text of a program (C, Perl, Python or shell source, or a Windows or Linux executable: back-connect, bind port, datapipe) carried inside the page to be written out and run"
		author = "rasoat"
		score = 75
		mitre_attack = "T1505.003, T1059, T1027"
	strings:
		$php = "<?" ascii
		$b1 = "I2luY2x1ZGUg" ascii
		$b2 = "IyEvdXNyL2Jpbi9wZXJs" ascii
		$b3 = "dXNlIFNvY2tldDs" ascii
		$b4 = "IyEvdXNyL2Jpbi9lbnYgcHl0aG9u" ascii
		$b5 = "IyEvdXNyL2Jpbi9weXRob24" ascii
		$b6 = "IyEvYmluL3No" ascii
		$b7 = "IyEvYmluL2Jhc2g" ascii
		$b8 = "dXNlIElPOjpTb2NrZXQ" ascii
		$b9 = "TVqQAAMAAAAE" ascii
		$b10 = "f0VMRgE" ascii
		$b11 = "f0VMRgI" ascii
		$w1 = /\b(fwrite|fputs|file_put_contents)\s*\(/ ascii nocase
		$w2 = /\b(system|passthru|shell_exec|popen|proc_open|exec)\s*\(/ ascii nocase
	condition:
		filesize < 4MB and $php and any of ($b*) and any of ($w*)
}

rule RASOAT_PHP_Small_Request_Exec
{
	meta:
		description = "PHP: a small page that reads request data and runs a command held in a variable (system, exec, shell_exec, passthru, popen, proc_open)"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1059.004"
	strings:
		$php = "<?" ascii
		$in = /\$_(POST|GET|REQUEST|COOKIE)\s*\[/ ascii nocase
		$in2 = /\$_SERVER\s*\[\s*['"]HTTP_/ ascii nocase
		$x1 = /\b(system|passthru|shell_exec|popen|proc_open|pcntl_exec|exec)\s*\(\s*@?\$\w/ ascii nocase
		$x2 = /(=|echo|print)\s*`\s*\$\w{1,30}[^`\n]{0,30}`/ ascii
	condition:
		filesize < 6KB and $php and any of ($in*) and any of ($x*)
}

rule RASOAT_ASPX_Request_Path_Write
{
	meta:
		description = "ASP/ASP.NET: a file written at a path the request names (SaveAs, StreamWriter, File.WriteAll*, CreateTextFile, SaveToFile on Request data)"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1105"
	strings:
		$w1 = /\b(SaveAs|StreamWriter|WriteAllText|WriteAllBytes|CreateTextFile|SaveToFile|OpenTextFile)\s*\(\s*(Server\s*\.\s*MapPath\s*\(\s*)?Request\s*[\.\[(]/ ascii nocase
		$w2 = /\bFiles\s*\[\s*\d\s*\]\s*\.\s*SaveAs\s*\(\s*(Server\s*\.\s*MapPath\s*\(\s*)?(Request|\w+\s*\+\s*Request)/ ascii nocase
		$tag1 = "<%" ascii
		$tag2 = "runat" ascii nocase
		$tag3 = /<%@\s*WebHandler/ ascii nocase
	condition:
		filesize < 2MB and any of ($tag*) and any of ($w*)
}

rule RASOAT_ASP_Eval_Request_Variable
{
	meta:
		description = "ASP (VBScript): a request value, or a decoder applied to one or to a literal, handed to Execute/ExecuteGlobal/Eval in a small page"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1059.005"
	strings:
		$tag = "<%" ascii
		$in = /\bRequest\s*[\.(]/ ascii nocase
		$e1 = /(^|[\s:>])(execute|executeglobal|eval)\s*\(?\s*[A-Za-z_]\w{0,30}\s*\)?\s*(%>|\r|\n|:)/ ascii nocase
		$e2 = /(^|[\s:>])(execute|executeglobal|eval)\s*\(?\s*[A-Za-z_]\w{0,30}\s*\(\s*(Request|["'][0-9A-Fa-f]{16,})/ ascii nocase
	condition:
		filesize < 3KB and $tag and (($in and $e1) or $e2)
}

rule RASOAT_ASP_Downloader_Writer
{
	meta:
		description = "ASP: a page that writes out or runs a downloader (XMLHTTP fetch saved by ADODB.Stream SaveToFile) next to WScript/Shell or request input"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1105"
	strings:
		$tag = "<%" ascii
		$a1 = "XMLHTTP" ascii nocase
		$a2 = "ADODB.Stream" ascii nocase
		$a3 = "SaveToFile" ascii nocase
		$b1 = "WScript.Shell" ascii nocase
		$b2 = "Scripting.FileSystemObject" ascii nocase
		$b3 = /\bRequest\s*[\.(]/ ascii nocase
	condition:
		filesize < 200KB and $tag and all of ($a*) and 2 of ($b*)
}

rule RASOAT_ASPX_Sql_Connect_From_Input
{
	meta:
		description = "ASP.NET database console: a connection string assembled from request or form-box input, then arbitrary queries run"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1213"
	strings:
		$tag1 = "<%" ascii
		$tag2 = "runat" ascii nocase
		$c1 = /(SqlConnection|OleDbConnection|OdbcConnection|MySqlConnection)\s*\(/ ascii nocase
		$s1 = /["'](server|data source|provider)\s*=\s*["']\s*(\+|&)\s*\w/ ascii nocase
		$s2 = /["'];?\s*(uid|user id|pwd|password|database|initial catalog)\s*=\s*["']\s*(\+|&)\s*\w/ ascii nocase
		$q = /\.(ExecuteReader|ExecuteNonQuery|ExecuteScalar|Fill)\s*\(/ ascii nocase
		$in1 = /\bRequest\s*[\.\[(]/ ascii nocase
		$in2 = /\b\w+\s*\.\s*Text\b/ ascii
	condition:
		filesize < 500KB and any of ($tag*) and $c1 and all of ($s*) and $q and any of ($in*)
}

rule RASOAT_JSP_Embedded_Class_Bytes
{
	meta:
		description = "JSP: a base64-encoded Java class (yv66vg, the CAFEBABE header) decoded and loaded or written out (class-loader and memory shells)"
		author = "rasoat"
		score = 75
		mitre_attack = "T1505.003, T1027, T1620"
	strings:
		$tag1 = "<%" ascii
		$tag2 = "jsp:" ascii
		$c = "yv66vg" ascii
		$u1 = /(defineClass|ClassLoader|newInstance|getDecoder|decodeBuffer|parseBase64Binary)/ ascii
		$u2 = "getParameter" ascii
	condition:
		filesize < 4MB and any of ($tag*) and $c and any of ($u*)
}

rule RASOAT_JSP_Request_Path_Write
{
	meta:
		description = "JSP: request data written to a file at a path the request names (FileOutputStream, FileWriter, Files.write fed by getParameter)"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1105"
	strings:
		$tag1 = "<%" ascii
		$tag2 = "jsp:" ascii
		$w1 = /new\s+(java\.io\.)?(FileOutputStream|FileWriter|RandomAccessFile|PrintWriter)\s*\(\s*(new\s+File\s*\(\s*)?[^;)]{0,60}getParameter\s*\(/ ascii
		$w2 = /Files\s*\.\s*write\s*\([^;]{0,80}getParameter\s*\(/ ascii
		$w3 = /new\s+(java\.io\.)?(FileOutputStream|FileWriter)\s*\(\s*\w{1,20}\s*[,)]/ ascii
		$p = /=\s*(new\s+String\s*\(\s*)?request\s*\.\s*getParameter\s*\(\s*"(path|file|filename|filepath|f|p|name|fname|dir)"/ ascii nocase
		$c = /request\s*\.\s*getParameter\s*\(\s*"(content|data|text|body|c|t|code|src)"/ ascii nocase
	condition:
		filesize < 30KB and any of ($tag*) and ($w1 or $w2 or ($w3 and $p and $c))
}

rule RASOAT_JSP_Reflective_Exec_Call
{
	meta:
		description = "JSP: Runtime's exec reached through java.beans Expression/Statement or Method.invoke with the name as a string, next to request data"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1059"
	strings:
		$tag1 = "<%" ascii
		$tag2 = "jsp:" ascii
		$r1 = /new\s+(java\.beans\.)?(Expression|Statement)\s*\(\s*Runtime\s*\.\s*getRuntime\s*\(\s*\)\s*,\s*"exec"/ ascii
		$r2 = /getMethod\s*\(\s*"exec"/ ascii
		$r3 = /getRuntime\s*\(\s*\)\s*\.\s*getClass\s*\(\s*\)/ ascii
		$in = "getParameter" ascii
	condition:
		filesize < 1MB and any of ($tag*) and any of ($r*) and $in
}

rule RASOAT_JSP_Socket_Shell
{
	meta:
		description = "JSP: a shell process (cmd.exe, /bin/sh) wired to a network socket (connect-back or bind shell served as a page)"
		author = "rasoat"
		score = 75
		mitre_attack = "T1505.003, T1059, T1571"
	strings:
		$tag1 = "<%" ascii
		$tag2 = "jsp:" ascii
		$s1 = /new\s+(java\.net\.)?(Socket|ServerSocket)\s*\(/ ascii
		$x = /exec\s*\(\s*(new\s+String\s*\[\s*\]\s*\{\s*)?"(cmd(\.exe)?|\/bin\/(ba)?sh)"/ ascii nocase
		$io = "getInputStream" ascii
	condition:
		filesize < 1MB and any of ($tag*) and $s1 and $x and $io
}

rule RASOAT_Perl_IRC_Bot_Shell
{
	meta:
		description = "Perl IRC bot (ShellBOT/pbot families): joins a channel and runs commands sent in PRIVMSG through system, exec or backticks"
		author = "rasoat"
		score = 75
		mitre_attack = "T1059.006, T1071"
	strings:
		$perl1 = /#!\s*\/\S*perl/ ascii
		$perl2 = /\buse\s+(IO::Socket|Socket)\b/ ascii
		$i1 = "PRIVMSG" ascii
		$i2 = /JOIN\s+[#$]/ ascii
		$i3 = /NICK\s+\$?/ ascii
		$x1 = /\b(system|exec)\s*\(?\s*["'$]/ ascii
		$x2 = /`\$\w{1,30}[^`\n]{0,40}`/ ascii
		$x3 = /open\s*\(?\s*\w+\s*,\s*["'][^"'\n]{0,40}\|\s*["']/ ascii
	condition:
		filesize < 2MB and all of ($perl*) and all of ($i*) and any of ($x*)
}

rule RASOAT_ASP_Reversed_Code_Literal
{
	meta:
		description = "ASP obfuscation: code written backwards in a string literal (tseuqer = request, lave = eval) and turned round by StrReverse before it is executed"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1027"
	strings:
		$tag = "<%" ascii
		$r1 = /["'][^"'\n]{0,60}(tseuqer|\)\d?\)?(tseuqer|tsop)|lave|etucexe)[^"'\n]{0,60}["']/ ascii nocase
		$sr = "StrReverse" ascii nocase
		$sr2 = /StrReverse\s*\(\s*(Request|[A-Za-z_]\w{0,20}\s*\))/ ascii nocase
		$e = /\b(execute|executeglobal|eval)\b/ ascii nocase
	condition:
		filesize < 100KB and $tag and $e and (($r1 and $sr) or $sr2)
}

rule RASOAT_ASP_Request_To_Text_File
{
	meta:
		description = "ASP: request data written into a file through FileSystemObject CreateTextFile/OpenTextFile (a dropper for a second script)"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1105"
	strings:
		$tag = "<%" ascii
		$f = /\.(CreateTextFile|OpenTextFile)\s*\(/ ascii nocase
		$w1 = /\.Write(Line)?\s*\(?\s*(""\s*&\s*)?Request\s*[\.(]/ ascii nocase
		$w2 = /\.Write(Line)?\s*\(?\s*[A-Za-z_]\w{0,20}\s*\)?\s*[\r\n]/ ascii nocase
		$a = /[A-Za-z_]\w{0,20}\s*=\s*Request\s*[\.(]/ ascii nocase
	condition:
		filesize < 8KB and $tag and $f and ($w1 or ($w2 and $a))
}

rule RASOAT_ASP_Comment_Split_Eval
{
	meta:
		description = "ASP/JScript obfuscation: eval and its argument cut up by many tiny /*...*/ comments"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1027"
	strings:
		$tag = "<%" ascii
		$cm = /\/\*[^*\n]{0,6}\*\// ascii
		$e = /\beval\s*\(/ ascii nocase
	condition:
		filesize < 50KB and $tag and $e and #cm >= 10
}
