/*
 * webshells_pyweb6.yar — Python webshell techniques, tenth set (issue 15).
 * Generic forms, one rule per technique, from the tuning part of the corpus
 * (a browser shell's CGI side: the request body read from standard input
 * under a bare name, `from sys import stdin` then `stdin.read()`, and run
 * through a helper with shell=True) and from the CGI interface itself: a
 * CGI script's POST body is its standard input, so `input()`/`raw_input()`
 * and `os.read(0, ...)` read the request as well; and, from public
 * tradecraft, the one-line webshell forms the earlier sets read only with
 * a bare name as the command: a subscript or call of the request handed to
 * os.system/os.popen, getoutput under a module alias (`import subprocess
 * as sp`), shell=True calls on a request field (also `run`), an `sh -c`
 * argument vector, a command line built around a name in the call (a
 * course template's `getoutput("sudo " + command)` in the tuning part),
 * with http.server headers, CGI form values and the WSGI environ as
 * request sources; with the same sources, request values run by exec or
 * eval in any form (the earlier sets read exec/eval mostly in framework
 * routes), and file managers built on http.server, CGI or WSGI (a listing
 * of the request's directory beside writes, deletes or renames). Each
 * rule has an inert sample under tests/fixtures/webshell/python/ and a
 * clean look-alike under tests/fixtures/webshell/clean/.
 */

rule RASOAT_Python_CGI_Bare_Stdin_Shell
{
	meta:
		description = "Python: a CGI script (it writes its own Content-Type header) that reads the request body from standard input under another name (from sys import stdin then stdin.read(), input()/raw_input(), os.read(0, ...), sys.__stdin__) and runs a value in a shell or as code"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$hdr = /(print\s*\(?|\.\s*write\s*\()\s*[bu]?['"]Content-[Tt]ype\s*:/ ascii
		$imp = /\bfrom\s+sys\s+import\s+[^\n]{0,80}\bstdin\b/ ascii
		$in1 = /(^|[^\w.])stdin\s*\.\s*(read|readline|readlines|buffer\s*\.\s*read)\s*\(/ ascii
		$in2 = /(^|[^\w.])(raw_)?input\s*\(\s*\)/ ascii
		$in3 = /\bos\s*\.\s*read\s*\(\s*0\s*,/ ascii
		$in4 = /\bsys\s*\.\s*__stdin__\s*\.\s*read/ ascii
		$x1 = /\b(Popen|check_output|check_call|run|call|getoutput|getstatusoutput)\s*\(\s*[A-Za-z_][\w.\[\]'"]*\s*,[^\n]{0,160}shell\s*=\s*(True|1)\b/ ascii
		$x2 = /\bos\s*\.\s*(popen[234]?|system)\s*\(\s*[A-Za-z_][\w.\[\]'"]*\s*[,)]/ ascii
		$x3 = /\b(getoutput|getstatusoutput)\s*\(\s*[A-Za-z_][\w.\[\]'"]*\s*\)/ ascii
		$x4 = /(^|[^\w.])(exec|eval)\s*\(\s*[A-Za-z_][\w.\[\]'"]*\s*[,)]/ ascii
	condition:
		filesize < 64KB and $hdr and (($imp and $in1) or $in2 or $in3 or $in4) and any of ($x*)
}

rule RASOAT_Python_Web_Request_Shell_Expr
{
	meta:
		description = "Python: a small web handler (a framework route, a CGI script, a WSGI application, an http.server handler) that reads the request (request fields, http.server headers, path or body, CGI form values, the WSGI environ) and hands a shell a value in any form, a name, a subscript, a call or a command line built around a name (os.system/os.popen, getoutput through any module alias, run/call/Popen/check_output with shell=True, create_subprocess_shell, an sh -c/cmd /c/powershell -Command argument vector; a literal prefix joined with +, %, .format or an f-string), the short forms of Python webshells"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1059.004"
	strings:
		$fw1 = /\b(from|import)\s+(flask|bottle|django|tornado|aiohttp|fastapi|cherrypy|falcon|sanic|quart|starlette|pyramid|web|werkzeug|litestar|twisted\.web|microdot|robyn|blacksheep)\b/ ascii
		$fw2 = /\b(Base|Simple)HTTPRequestHandler\b/ ascii
		$fw3 = /\bFieldStorage\s*\(/ ascii
		$fw4 = /\bdef\s+application\s*\(\s*environ\b/ ascii
		$fw5 = /(print\s*\(?|\.\s*write\s*\()\s*[bu]?['"]Content-[Tt]ype\s*:/ ascii
		$hs = /\bself\s*\.\s*(headers\s*(\.\s*get\s*\(|\[)|path\b|rfile\s*\.\s*read)/ ascii
		$in1 = /\brequest\s*\.\s*(args|form|forms|values|json|data|body|query|params|GET|POST|get_json|get_data|query_params|match_info|cookies|headers|files)\b/ ascii
		$in2 = /\bself\s*\.\s*get_(body_|query_)?argument\s*\(/ ascii
		$in3 = /\bFieldStorage\s*\(|\.\s*(getvalue|getfirst|getlist)\s*\(\s*['"]/ ascii
		$in4 = /\benviron\s*(\.\s*get\s*\(|\[)\s*['"](QUERY_STRING|PATH_INFO|HTTP_[A-Z_]+|wsgi\.input)['"]/ ascii
		$in5 = /\bawait\s+(request|req)\s*\.\s*(json|body|form|text|read|post)\s*\(/ ascii
		$x1 = /\bos\s*\.\s*(system|popen[234]?)\s*\(\s*[a-z_][\w.]*\s*[\[\(),]/ ascii
		$x2 = /\b[A-Za-z_]\w*\s*\.\s*(getoutput|getstatusoutput)\s*\(\s*[a-z_][\w.]*\s*[\[\(),]/ ascii
		$x3 = /\b(run|call|Popen|check_output|check_call)\s*\(\s*[a-z_][\w.]*\s*(\[[^\n\]]{1,60}\]|\([^\n)]{0,60}\))?\s*,[^\n]{0,160}\bshell\s*=\s*(True|1)\b/ ascii
		$x4 = /\bcreate_subprocess_shell\s*\(\s*[a-z_][\w.]*\s*[\[\(,)]/ ascii
		$x5 = /\[\s*['"](\/usr)?(\/bin\/)?(ba|z|da)?sh['"]\s*,\s*['"]-c['"]\s*,\s*[a-z_][\w.]*\s*[\[\(]/ ascii
		$x6 = /\[\s*['"](cmd|cmd\.exe|powershell|powershell\.exe|pwsh)['"]\s*,\s*['"](\/c|\/C|-c|-Command|-command)['"]\s*,\s*[a-z_][\w.]*\s*[\[\(]/ ascii
		$x7 = /\b(os\s*\.\s*(system|popen[234]?)|getoutput|getstatusoutput)\s*\(\s*[bru]?['"][^'"\n]{0,60}['"]\s*(\+|%)\s*\(?\s*[a-z_][\w.]*/ ascii
		$x8 = /\b(os\s*\.\s*(system|popen[234]?)|getoutput|getstatusoutput)\s*\(\s*f['"][^'"\n]{0,60}\{\s*[a-z_][\w.]*/ ascii
		$x9 = /\b(os\s*\.\s*(system|popen[234]?)|getoutput|getstatusoutput)\s*\(\s*['"][^'"\n]{0,60}['"]\s*\.\s*format\s*\(\s*[a-z_]/ ascii
		$x10 = /\b(run|call|Popen|check_output|check_call)\s*\(\s*(f['"][^'"\n]{0,60}\{\s*[a-z_]|[bru]?['"][^'"\n]{0,60}['"]\s*(\+|%)\s*\(?\s*[a-z_])[^\n]{0,160}\bshell\s*=\s*(True|1)\b/ ascii
		$def = /\bclass\s+(Base|Simple|CGI)HTTPRequestHandler\b/ ascii
		$test = /\bimport\s+(unittest|pytest)\b|\bfrom\s+(unittest|test)\s+import\b/ ascii
	condition:
		filesize < 64KB and (($fw2 and $hs) or (any of ($fw1, $fw3, $fw4, $fw5) and any of ($in*))) and any of ($x*) and not $def and not $test
}

rule RASOAT_Python_Web_Request_Code_Expr
{
	meta:
		description = "Python: a small web handler (an http.server handler, a CGI script, a WSGI application or a framework route) that reads the request (the body from rfile, headers, the path, CGI form values, the WSGI environ, request fields) and runs a value as Python code with exec or eval, in any form: a name, a subscript or a call"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$fw1 = /\b(from|import)\s+(flask|bottle|django|tornado|aiohttp|fastapi|cherrypy|falcon|sanic|quart|starlette|pyramid|web|werkzeug|litestar|twisted\.web|microdot|robyn|blacksheep)\b/ ascii
		$fw2 = /\b(Base|Simple)HTTPRequestHandler\b/ ascii
		$fw3 = /\bFieldStorage\s*\(/ ascii
		$fw4 = /\bdef\s+application\s*\(\s*environ\b/ ascii
		$fw5 = /(print\s*\(?|\.\s*write\s*\()\s*[bu]?['"]Content-[Tt]ype\s*:/ ascii
		$hs = /\bself\s*\.\s*(headers\s*(\.\s*get\s*\(|\[)|path\b|rfile\s*\.\s*read)/ ascii
		$in1 = /\brequest\s*\.\s*(args|form|forms|values|json|data|body|query|params|GET|POST|get_json|get_data|query_params|match_info|cookies|headers|files)\b/ ascii
		$in2 = /\bself\s*\.\s*get_(body_|query_)?argument\s*\(/ ascii
		$in3 = /\bFieldStorage\s*\(|\.\s*(getvalue|getfirst|getlist)\s*\(\s*['"]/ ascii
		$in4 = /\benviron\s*(\.\s*get\s*\(|\[)\s*['"](QUERY_STRING|PATH_INFO|HTTP_[A-Z_]+|wsgi\.input)['"]/ ascii
		$in5 = /\bawait\s+(request|req)\s*\.\s*(json|body|form|text|read|post)\s*\(/ ascii
		$x1 = /(^|[^\w.])(exec|eval)\s*\(\s*[a-z_][\w.]*\s*[\[\(),]/ ascii
		$dx = /\bdef\s+(exec|eval)\s*\(/ ascii
		$def = /\bclass\s+(Base|Simple|CGI)HTTPRequestHandler\b/ ascii
		$test = /\bimport\s+(unittest|pytest)\b|\bfrom\s+(unittest|test)\s+import\b/ ascii
	condition:
		filesize < 64KB and (($fw2 and $hs) or (any of ($fw1, $fw3, $fw4, $fw5) and any of ($in*))) and #x1 > #dx and not $def and not $test
}

rule RASOAT_Python_Web_Path_File_Manager
{
	meta:
		description = "Python: an http.server handler, a CGI script or a WSGI application that takes a path from the request, lists directories (os.listdir/scandir/walk of a name) and writes, deletes or renames files under names it is given (open(...) for writing, os.remove/unlink, shutil.rmtree, os.rename): a webshell's file manager"
		author = "rasoat"
		score = 60
		mitre_attack = "T1505.003, T1083"
	strings:
		$fw2 = /\b(Base|Simple)HTTPRequestHandler\b/ ascii
		$fw3 = /\bFieldStorage\s*\(/ ascii
		$fw4 = /\bdef\s+application\s*\(\s*environ\b/ ascii
		$fw5 = /(print\s*\(?|\.\s*write\s*\()\s*[bu]?['"]Content-[Tt]ype\s*:/ ascii
		$hs = /\bself\s*\.\s*(headers\s*(\.\s*get\s*\(|\[)|path\b|rfile\s*\.\s*read)/ ascii
		$in3 = /\bFieldStorage\s*\(|\.\s*(getvalue|getfirst|getlist)\s*\(\s*['"]/ ascii
		$in4 = /\benviron\s*(\.\s*get\s*\(|\[)\s*['"](QUERY_STRING|PATH_INFO|HTTP_[A-Z_]+|wsgi\.input)['"]/ ascii
		$ls = /\bos\s*\.\s*(listdir|scandir|walk)\s*\(\s*[a-z_][\w.]*\s*[\[\(),]/ ascii
		$w1 = /\bopen\s*\(\s*[a-z_][\w.]*\s*(\[[^\n\]]{0,40}\]|\([^\n)]{0,80}\))?\s*,\s*['"][wa]b?\+?['"]/ ascii
		$w2 = /\b(os\s*\.\s*(remove|unlink|rmdir|rename|replace)|shutil\s*\.\s*(rmtree|move))\s*\(\s*[a-z_][\w.]*/ ascii
		$def = /\bclass\s+(Base|Simple|CGI)HTTPRequestHandler\b/ ascii
		$test = /\bimport\s+(unittest|pytest)\b|\bfrom\s+(unittest|test)\s+import\b/ ascii
	condition:
		filesize < 64KB and (($fw2 and $hs) or (any of ($fw3, $fw4, $fw5) and any of ($in3, $in4))) and $ls and any of ($w*) and not $def and not $test
}
