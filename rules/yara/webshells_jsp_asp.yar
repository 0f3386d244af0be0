/*
 * webshells_jsp_asp.yar — generic JSP/JSPX and ASP/ASP.NET webshell
 * techniques (Java servlet containers such as Tomcat; ASP.NET under Mono or
 * on web roots shared with Windows): request data reaching a process, an
 * interpreter, a class loader, the file system or SQL; encrypted
 * class-loading shells; VBScript and C# obfuscation. One rule per technique.
 * Written for rasoat. ATT&CK T1505.003 (Server Software Component: Web Shell).
 */
rule RASOAT_JSP_Exec_With_Request
{
	meta:
		description = "JSP: Runtime.exec or ProcessBuilder in a page that reads request parameters"
		author = "rasoat"
		score = 75
		mitre_attack = "T1505.003, T1059"
	strings:
		$j1 = "<%" ascii
		$j2 = "jsp:" ascii
		$rt = /getRuntime\s*\(\s*\)\s*\.\s*exec\s*\(/ ascii
		$pb = /new\s+ProcessBuilder\s*\(/ ascii
		$rq = /request\s*\.\s*(getParameter|getHeader|getInputStream|getReader|getQueryString)\s*\(/ ascii
	condition:
		filesize < 2MB and any of ($j*) and ($rt or $pb) and $rq
}

rule RASOAT_JSP_Reflective_Runtime
{
	meta:
		description = "JSP: reaches java.lang.Runtime/ProcessBuilder or a script engine through reflection or string assembly"
		author = "rasoat"
		score = 75
		mitre_attack = "T1505.003, T1027"
	strings:
		$j1 = "<%" ascii
		$j2 = "jsp:" ascii
		$c1 = /Class\s*\.\s*forName\s*\(\s*"java\.lang\.(Runtime|ProcessBuilder|ProcessImpl|UNIXProcess)"/ ascii
		$c2 = /getMethod\s*\(\s*"(exec|getRuntime|start)"/ ascii
		$c3 = /new\s+ScriptEngineManager\s*\(\s*\)\s*\.\s*getEngineByName\s*\([^)]{1,40}\)\s*\.\s*eval\s*\(\s*request/ ascii
		$c4 = /getEngineByName\s*\(\s*"(js|javascript|nashorn)"/ ascii nocase
		$rq = /request\s*\.\s*getParameter\s*\(/ ascii
	condition:
		filesize < 2MB and any of ($j*) and ($c1 or $c2 or $c3 or ($c4 and $rq))
}

rule RASOAT_JSP_Class_Loader_Shell
{
	meta:
		description = "JSP: defines a class from request bytes, often AES/base64 wrapped (Behinder, Godzilla, AntSword loaders)"
		author = "rasoat"
		score = 85
		mitre_attack = "T1505.003, T1620"
	strings:
		$j1 = "<%" ascii
		$j2 = "jsp:" ascii
		$d = /\bdefineClass\s*\(/ ascii
		$cl = "ClassLoader" ascii
		$r1 = /request\s*\.\s*(getReader|getInputStream|getParameter)/ ascii
		$r2 = /(BASE64Decoder|Base64\s*\.\s*getDecoder|Cipher\s*\.\s*getInstance|decodeBuffer)/ ascii
	condition:
		filesize < 2MB and any of ($j*) and $d and $cl and all of ($r*)
}

rule RASOAT_JSP_File_Manager
{
	meta:
		description = "JSP file-manager shell: lists, writes, deletes and renames server files named by request parameters"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1083"
	strings:
		$j1 = "<%" ascii
		$j2 = "jsp:" ascii
		$rq = /request\s*\.\s*getParameter\s*\(/ ascii
		$nf = /new\s+(java\.io\.)?File\s*\(/ ascii
		$o1 = "listFiles" ascii
		$o2 = /\.\s*delete\s*\(\s*\)/ ascii
		$o3 = /new\s+(java\.io\.)?(FileOutputStream|FileWriter|RandomAccessFile)\s*\(/ ascii
		$o4 = /\.\s*renameTo\s*\(/ ascii
		$o5 = /\.\s*(mkdir|mkdirs)\s*\(\s*\)/ ascii
		$o6 = /getRealPath\s*\(/ ascii
		$o7 = /\.\s*setLastModified\s*\(/ ascii
		$o8 = /new\s+(FileInputStream|FileReader)\s*\(/ ascii
	condition:
		filesize < 2MB and any of ($j*) and $rq and $nf and 4 of ($o*)
}

rule RASOAT_JSP_Write_Request_To_File
{
	meta:
		description = "JSP: writes a request parameter's content to a path taken from the request (a dropper)"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1105"
	strings:
		$j1 = "<%" ascii
		$j2 = "jsp:" ascii
		$w = /new\s+(FileOutputStream|FileWriter|PrintWriter|RandomAccessFile)\s*\(\s*(new\s+File\s*\(\s*)?(request\s*\.\s*getParameter|application\s*\.\s*getRealPath\s*\(\s*request)/ ascii
		$w2 = /\.write\s*\(\s*request\s*\.\s*getParameter/ ascii
	condition:
		filesize < 2MB and any of ($j*) and any of ($w*)
}

rule RASOAT_JSP_Sql_Console
{
	meta:
		description = "JSP SQL console: JDBC connection and query text taken from request parameters"
		author = "rasoat"
		score = 60
		mitre_attack = "T1505.003"
	strings:
		$j1 = "<%" ascii
		$j2 = "jsp:" ascii
		$c = /DriverManager\s*\.\s*getConnection\s*\(/ ascii
		$rq = /request\s*\.\s*getParameter\s*\(\s*"(sql|url|dburl|conn|connstr|driver|pass|password|dbpass|user|uid)"/ ascii nocase
		$x = /\.\s*(executeQuery|execute|executeUpdate)\s*\(/ ascii
	condition:
		filesize < 2MB and any of ($j*) and $c and $rq and $x
}

rule RASOAT_ASP_Eval_Request
{
	meta:
		description = "Classic ASP: Eval/Execute/ExecuteGlobal of request data (one-line backdoors)"
		author = "rasoat"
		score = 85
		mitre_attack = "T1505.003"
	strings:
		$a = "<%" ascii
		$a2 = "runat" ascii nocase
		$e = /\b(eval|execute|executeglobal)\s*\(?\s*(request|session)\s*(\.\s*(item|form|querystring))?\s*\(?\s*\[?\s*["']/ ascii nocase
		$e2 = /\b(eval|execute|executeglobal)\s*\(?\s*request\s*\(/ ascii nocase
	condition:
		filesize < 2MB and any of ($a*) and any of ($e*)
}

rule RASOAT_ASP_Shell_Object
{
	meta:
		description = "Classic ASP: WScript.Shell or Shell.Application in a page that reads the request (command execution)"
		author = "rasoat"
		score = 75
		mitre_attack = "T1505.003, T1059.003"
	strings:
		$a = "<%" ascii
		$a2 = "runat" ascii nocase
		$s1 = "wscript.shell" ascii nocase
		$s2 = "shell.application" ascii nocase
		$s3 = "72C24DD5-D70A-438B-8A42-98424B88AFB8" ascii nocase
		$s4 = "13709620-C279-11CE-A49E-444553540000" ascii nocase
		$rq = /request\s*(\.\s*(form|querystring|item))?\s*\(/ ascii nocase
	condition:
		filesize < 2MB and any of ($a*) and any of ($s*) and $rq
}

rule RASOAT_ASP_File_Manager
{
	meta:
		description = "Classic ASP file-manager/uploader shell: FileSystemObject or ADODB.Stream operations on paths from the request"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1083"
	strings:
		$a = "<%" ascii
		$a2 = "runat" ascii nocase
		$fso = "scripting.filesystemobject" ascii nocase
		$stm = "adodb.stream" ascii nocase
		$rq = /request\s*(\.\s*(form|querystring|item))?\s*\(/ ascii nocase
		$o1 = /\.\s*(createtextfile|deletefile|deletefolder|copyfile|movefile|createfolder|opentextfile)\b/ ascii nocase
		$o2 = /\.\s*savetofile\b/ ascii nocase
		$o3 = /\.\s*(getfolder|drives)\b/ ascii nocase
	condition:
		filesize < 2MB and any of ($a*) and ($fso or $stm) and $rq and (#o1 >= 2 or 2 of ($o*))
}

rule RASOAT_ASP_Obfuscated_Execute
{
	meta:
		description = "Classic ASP obfuscation: Execute of a string assembled from Chr()/ChrW() or decoded at run time"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1027"
	strings:
		$a = "<%" ascii
		$x = /\b(execute|executeglobal|eval)\s*\(?\s*(chr|chrw|chrb|unescape|decode|\w{1,20}\s*\(\s*"[0-9a-f%]{40})/ ascii nocase
		$chr = /chrw?\s*\(\s*\d{2,3}\s*\)\s*&\s*chrw?\s*\(\s*\d{2,3}\s*\)\s*&\s*chrw?\s*\(/ ascii nocase
		$ex = /\b(execute|executeglobal)\b/ ascii nocase
	condition:
		filesize < 2MB and $a and ($x or (#chr >= 3 and $ex))
}

rule RASOAT_ASPX_Process_With_Request
{
	meta:
		description = "ASP.NET: Process.Start/ProcessStartInfo (cmd.exe, /bin/sh) in a page that reads the request"
		author = "rasoat"
		score = 75
		mitre_attack = "T1505.003, T1059"
	strings:
		$a = "<%" ascii
		$a2 = "runat" ascii nocase
		$a3 = "WebService" ascii
		$a4 = "IHttpHandler" ascii
		$p1 = "ProcessStartInfo" ascii
		$p2 = /Process\s*\.\s*Start\s*\(/ ascii
		$rq = /Request\s*(\.\s*(Form|QueryString|Item|Params|Headers|InputStream|BinaryRead))?\s*[\[(.]/ ascii
		$rq2 = /\[\s*WebMethod/ ascii
		$rq3 = /\w+\s*\.\s*Text\b/ ascii
	condition:
		filesize < 2MB and any of ($a*) and any of ($p*) and any of ($rq*)
}

rule RASOAT_ASPX_Assembly_Loader
{
	meta:
		description = "ASP.NET: loads an assembly from request bytes, often AES-wrapped (Behinder, Godzilla loaders)"
		author = "rasoat"
		score = 85
		mitre_attack = "T1505.003, T1620"
	strings:
		$a = "<%" ascii
		$l = /Assembly\s*\.\s*Load\s*\(/ ascii
		$r = /Request\s*\.\s*(BinaryRead|InputStream|Form|Item|\[)/ ascii
		$c = /(RijndaelManaged|FromBase64String|CreateDecryptor|AesManaged)/ ascii
	condition:
		filesize < 2MB and $a and $l and $r and $c
}

rule RASOAT_ASPX_File_Manager
{
	meta:
		description = "ASP.NET file-manager/uploader shell: directory listing, file write, delete and upload on request paths"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1083"
	strings:
		$a = "<%" ascii
		$a2 = "runat" ascii nocase
		$rq = /Request\s*(\.\s*(Form|QueryString|Item|Params|Files))?\s*[\[(]/ ascii
		$o1 = /Directory\s*\.\s*(GetFiles|GetDirectories|Delete|CreateDirectory)\s*\(/ ascii
		$o2 = /File\s*\.\s*(Delete|Copy|Move|WriteAllText|WriteAllBytes|SetAttributes|SetLastWriteTime|SetCreationTime)\s*\(/ ascii
		$o3 = /\.\s*SaveAs\s*\(/ ascii
		$o4 = /new\s+(FileStream|StreamWriter)\s*\(/ ascii
		$o5 = /new\s+DirectoryInfo\s*\(/ ascii
		$o6 = /GetLogicalDrives|DriveInfo\s*\.\s*GetDrives/ ascii
	condition:
		filesize < 2MB and any of ($a*) and $rq and 3 of ($o*)
}

rule RASOAT_ASPX_Sql_Console
{
	meta:
		description = "ASP.NET SQL console: a connection string and query text from the request"
		author = "rasoat"
		score = 60
		mitre_attack = "T1505.003"
	strings:
		$a = "<%" ascii
		$a2 = "runat" ascii nocase
		$c = /new\s+([\w.]{1,60}\.)?(SqlConnection|OleDbConnection|OdbcConnection|MySqlConnection)\s*\(/ ascii
		$rq = /Request\s*(\.\s*(Form|QueryString|Item|Params))?\s*[\[(]/ ascii
		$x = /(ExecuteReader|ExecuteNonQuery|ExecuteScalar|SqlDataAdapter|OleDbDataAdapter)/ ascii
		$x2 = "xp_cmdshell" ascii nocase
		$t = /ConnectionString\s*=[^;]{0,80}\.\s*Text\b/ ascii
		$t2 = /CommandText\s*=\s*\w+\s*\.\s*Text\b/ ascii
	condition:
		filesize < 2MB and any of ($a*) and $c and ($rq or $t or $t2) and ($x or $x2)
}

rule RASOAT_ASP_JScript_Eval
{
	meta:
		description = "ASP/ASP.NET JScript: eval of request data, with the 'unsafe' option or through an alias of eval"
		author = "rasoat"
		score = 80
		mitre_attack = "T1505.003"
	strings:
		$a = "<%" ascii
		$a2 = "runat" ascii nocase
		$u = /eval\s*\([^,;]{1,80},\s*["']unsafe["']\s*\)/ ascii nocase
		$alias = /[:=]\s*eval\s*[,;}]/ ascii
		$rq = /Request\s*\.\s*(form|querystring|item|params)\s*[\[(]/ ascii nocase
		$rqhex = /Request\s*\[\s*"\\x/ ascii nocase
		$ev = /\beval\b/ ascii
	condition:
		filesize < 2MB and ($u or (any of ($a*) and ((filesize < 50KB and $alias and $rq) or ($rqhex and $ev))))
}

rule RASOAT_ASP_Encoded_Script
{
	meta:
		description = "Classic ASP: script hidden with the Windows Script Encoder (#@~^ ... ^#~@, VBScript.Encode/JScript.Encode), a webshell packing"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1027"
	strings:
		$a = "<%" ascii
		$a2 = "runat" ascii nocase
		$enc = /#@~\^[A-Za-z0-9+\/]{6}==/ ascii
		$lang = /language\s*=\s*["']?(vbscript|jscript)\.encode/ ascii nocase
	condition:
		filesize < 4MB and any of ($a*) and ($enc or $lang)
}
