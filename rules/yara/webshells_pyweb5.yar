/*
 * webshells_pyweb5.yar — Python webshell techniques, ninth set (issue 15).
 * Generic forms, one rule per technique, from the tuning part of the corpus
 * (App Engine's web Python console: a webapp handler compiling the
 * statement the request sends and running it with Python 2's exec
 * statement) and from public tradecraft with no tuning example: request
 * objects of the web stacks the earlier sets do not read (webapp/webapp2,
 * WebOb, mod_python, Twisted, Quart's awaited properties) reaching a shell
 * or exec; Python 2 and Windows process calls (os.popen2/3/4, the popen2
 * module, platform.popen, os.startfile, WinExec, CreateProcess, shell=1);
 * third-party command libraries (sh, plumbum, envoy, delegator, sarge,
 * invoke); os or subprocess reached inline (__import__('os').popen,
 * import_module, getattr(os, 'system'), sys.modules['os']); and a request's
 * file or named path run as a Python script (runpy, execfile,
 * exec(open().read()), SourceFileLoader). Each rule has an inert sample
 * under tests/fixtures/webshell/python/ and clean look-alikes under
 * tests/fixtures/webshell/clean/.
 */

rule RASOAT_Python_Webapp_Handler_Shell
{
	meta:
		description = "Python: a handler of a web stack whose request object the other rules do not read (App Engine webapp/webapp2 self.request.get, WebOb, mod_python req.form, Twisted request.args/request.content, Quart's awaited request.form) that runs a value as a shell command (shell=True, os.system/os.popen*, getoutput) or as code (exec/eval of a variable, Python 2's exec statement)"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1059.004"
	strings:
		$fw1 = /\bimport\s+(webapp2|webob|quart)\b/ ascii
		$fw2 = /\bfrom\s+(google\.appengine\.ext(\.webapp)?|webob|mod_python|twisted\.web|quart)\s+import\b/ ascii
		$in1 = /\bself\s*\.\s*request\s*\.\s*(get|get_all)\s*\(/ ascii
		$in2 = /\bself\s*\.\s*request\s*\.\s*(POST|GET|params|body|str_POST|str_GET)\b/ ascii
		$in3 = /\b(req|request)\s*\.\s*(params|POST|GET)\s*(\[|\.\s*(get|getone|getall)\s*\()/ ascii
		$in4 = /\b(req\s*\.\s*form\b|util\s*\.\s*FieldStorage\s*\(\s*req\b)/ ascii
		$in5 = /\brequest\s*\.\s*(args\s*(\[|\.\s*get\s*\()\s*b?['"]|content\s*\.\s*read\s*\()/ ascii
		$in6 = /\bawait\s+request\s*\.\s*(form|values|data|json|files|get_json\s*\(|get_data\s*\()/ ascii
		$x1 = /\b(subprocess\s*\.\s*)?(run|call|Popen|check_output|check_call)\s*\(\s*[A-Za-z_][\w.]*\s*,[^\n]{0,160}\bshell\s*=\s*(True|1)\b/ ascii
		$x2 = /\bos\s*\.\s*(system|popen[234]?)\s*\(\s*[A-Za-z_][\w.]*\s*[,)]/ ascii
		$x3 = /\b(getoutput|getstatusoutput)\s*\(\s*[A-Za-z_][\w.]*\s*\)/ ascii
		$x4 = /(^|[^\w.])(exec|eval)\s*\(\s*[A-Za-z_]\w*\s*[,)]/ ascii
		$x5 = /(^|\n)[ \t]*exec\s+[A-Za-z_]\w*\s+in\s/ ascii
		$def = /\bclass\s+(Base|Simple|CGI)HTTPRequestHandler\b/ ascii
	condition:
		filesize < 200KB and any of ($fw*) and any of ($in*) and any of ($x*) and not $def
}

rule RASOAT_Python_Web_Compiled_Statement_Exec
{
	meta:
		description = "Python: a web application that compiles Python source taken from the request in 'single' or 'exec' mode and runs it (exec of the code object, Python 2's exec ... in namespace, eval): the statement handler of a web Python console"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$fw1 = /\b(from|import)\s+(flask|bottle|django|tornado|aiohttp|fastapi|cherrypy|falcon|sanic|quart|starlette|pyramid|web|webapp2|webob|werkzeug|litestar|google\.appengine\.ext(\.webapp)?)\b/ ascii
		$fw2 = /\b(Base|Simple)HTTPRequestHandler\b|\bcgi\s*\.\s*FieldStorage\s*\(/ ascii
		$in1 = /\brequest\s*\.\s*(args|form|forms|values|json|data|body|query|params|GET|POST|get_json|get_data|query_params|match_info|get)\b/ ascii
		$in2 = /\bself\s*\.\s*(get_(body_|query_)?argument\s*\(|request\s*\.\s*(get\s*\(|body\b|POST\b|GET\b)|rfile\s*\.\s*read\s*\()/ ascii
		$in3 = /\bawait\s+(request|websocket|ws)\s*\.\s*(json|post|text|read|form|body|receive_text|receive_json)\b/ ascii
		$in4 = /\bform\s*\.\s*getvalue\s*\(/ ascii
		// 'single' is the interactive statement mode a console compiles in
		$c1 = /\bcompile\s*\(\s*[A-Za-z_][\w.]*\s*,\s*['"][^'"\n]{0,60}['"]\s*,\s*['"]single['"]/ ascii
		$c2 = /\bcompile\s*\(\s*[A-Za-z_][\w.]*\s*,\s*['"][^'"\n]{0,60}['"]\s*,\s*['"]exec['"]/ ascii
		$r1 = /(^|\n)[ \t]*exec\s+[A-Za-z_]\w*\s+in\s/ ascii
		$r2 = /(^|[^\w.])(exec|eval)\s*\(\s*[A-Za-z_]\w*\s*[,)]/ ascii
	condition:
		filesize < 500KB and any of ($fw*) and any of ($in*) and (($c1 and any of ($r*)) or ($c2 and $r1))
}

rule RASOAT_Python_Web_Legacy_Process_Call
{
	meta:
		description = "Python: a web application or CGI script that reads the request and runs a value through a Python 2 or Windows process call (os.popen2/3/4, the popen2 module, platform.popen, os.startfile, win32api.WinExec, CreateProcess, subprocess with shell=1), the forms older and Windows-hosted webshells use"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1059"
	strings:
		$fw1 = /\b(from|import)\s+(flask|bottle|django|tornado|aiohttp|fastapi|cherrypy|falcon|sanic|quart|starlette|pyramid|web|webapp2|webob|werkzeug|mod_python|twisted\.web|google\.appengine\.ext(\.webapp)?)\b/ ascii
		$fw2 = /\b(Base|Simple)HTTPRequestHandler\b|\bimport\s+cgi\b/ ascii
		$in1 = /\brequest\s*\.\s*(args|form|forms|values|json|data|body|query|params|GET|POST|get_json|get_data|query_params|match_info|get)\b/ ascii
		$in2 = /\bself\s*\.\s*(get_(body_|query_)?argument\s*\(|request\s*\.\s*(get\s*\(|body\b|POST\b|GET\b)|path\b|rfile\s*\.\s*read\s*\()/ ascii
		$in3 = /\b(form\s*\.\s*getvalue\s*\(|FieldStorage\s*\(\s*\)\s*\[|os\s*\.\s*environ\s*(\[|\.\s*get\s*\()\s*['"]QUERY_STRING)/ ascii
		$x1 = /\b(os\s*\.\s*popen[234]|popen2\s*\.\s*(popen[234]|Popen[34])|platform\s*\.\s*popen|os\s*\.\s*startfile|win32api\s*\.\s*WinExec)\s*\(\s*[A-Za-z_][\w.]*\s*[,)]/ ascii
		$x2 = /\bCreateProcess\s*\(\s*None\s*,\s*[A-Za-z_][\w.]*\s*,/ ascii
		$x3 = /\b(Popen|call|check_output|check_call|run)\s*\(\s*[A-Za-z_][\w.]*\s*,[^\n]{0,160}\bshell\s*=\s*1\b/ ascii
		$def = /\bclass\s+(Base|Simple|CGI)HTTPRequestHandler\b/ ascii
	condition:
		filesize < 200KB and any of ($fw*) and any of ($in*) and any of ($x*) and not $def
}

rule RASOAT_Python_Web_Command_Library
{
	meta:
		description = "Python: a web application that reads the request and runs a value through a third-party command library instead of os or subprocess (sh.bash('-c', ...), sh.Command, plumbum's local[...], envoy/delegator/sarge/invoke run)"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1059.004"
	strings:
		$fw = /\b(from|import)\s+(flask|bottle|django|tornado|aiohttp|fastapi|cherrypy|falcon|sanic|quart|starlette|pyramid|web|webapp2|werkzeug|litestar)\b/ ascii
		$lib = /\b(import\s+(sh|plumbum|envoy|delegator|sarge|invoke)\b|from\s+(sh|plumbum|envoy|delegator|sarge|invoke)\s+import\b)/ ascii
		$in1 = /\brequest\s*\.\s*(args|form|forms|values|json|data|body|query|params|GET|POST|get_json|get_data|query_params|match_info|headers|cookies)\b/ ascii
		$in2 = /\bself\s*\.\s*(get_(body_|query_)?argument\s*\(|request\s*\.\s*(get\s*\(|body\b))/ ascii
		$in3 = /\bawait\s+request\s*\.\s*(json|post|text|read|form|body)\b/ ascii
		$x1 = /\bsh\s*\.\s*(bash|sh|zsh|dash|Command)\s*\(\s*(['"]-c['"]\s*,\s*)?[A-Za-z_][\w.]*\s*[,)]/ ascii
		$x2 = /\blocal\s*\[\s*([A-Za-z_][\w.]*\s*\]|['"](\/bin\/)?(ba|z)?sh['"]\s*\]\s*\[\s*['"]-c['"]\s*,\s*[A-Za-z_])/ ascii
		$x3 = /\b(envoy|delegator|sarge|invoke)\s*\.\s*(run|capture_stdout|capture_both|get_stdout)\s*\(\s*[A-Za-z_][\w.]*\s*[,)]/ ascii
	condition:
		filesize < 200KB and $fw and $lib and any of ($in*) and any of ($x*)
}

rule RASOAT_Python_Web_Inline_Import_Shell
{
	meta:
		description = "Python: a web application that reads the request and reaches os or subprocess inline in the call (__import__('os').popen(...), importlib.import_module('subprocess').check_output(...), getattr(os, 'system')(...), sys.modules['os'].system(...)) to run a value, the form one-line Python shells and injected routes take"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1059.004"
	strings:
		$fw1 = /\b(from|import)\s+(flask|bottle|django|tornado|aiohttp|fastapi|cherrypy|falcon|sanic|quart|starlette|pyramid|web|webapp2|webob|werkzeug|litestar)\b/ ascii
		$fw2 = /\b(Base|Simple)HTTPRequestHandler\b|\bcgi\s*\.\s*FieldStorage\s*\(/ ascii
		$in1 = /\brequest\s*\.\s*(args|form|forms|values|json|data|body|query|params|GET|POST|get_json|get_data|query_params|match_info|headers|cookies)\b/ ascii
		$in2 = /\bself\s*\.\s*(get_(body_|query_)?argument\s*\(|request\s*\.\s*(get\s*\(|body\b)|path\b|rfile\s*\.\s*read\s*\(|headers\s*(\[|\.\s*get\s*\())/ ascii
		$in3 = /\bawait\s+request\s*\.\s*(json|post|text|read|form|body)\b/ ascii
		$in4 = /\bform\s*\.\s*getvalue\s*\(/ ascii
		$x1 = /\b(__import__|import_module)\s*\(\s*['"](os|subprocess|commands|pty)['"]\s*\)\s*\.\s*(system|popen[234]?|getoutput|getstatusoutput|check_output|check_call|run|call|Popen|spawn|exec[lv]p?e?)\s*\(\s*[A-Za-z_]/ ascii
		$x2 = /\bgetattr\s*\(\s*(os|subprocess|__import__\s*\(\s*['"](os|subprocess)['"]\s*\))\s*,\s*['"](system|popen|getoutput|check_output|Popen|run|call)['"]\s*\)\s*\(\s*[A-Za-z_]/ ascii
		$x3 = /\bsys\s*\.\s*modules\s*\[\s*['"](os|subprocess)['"]\s*\]\s*\.\s*(system|popen|getoutput|check_output|Popen|run|call)\s*\(\s*[A-Za-z_]/ ascii
	condition:
		filesize < 300KB and any of ($fw*) and any of ($in*) and any of ($x*)
}

rule RASOAT_Python_Web_Run_Request_File
{
	meta:
		description = "Python: a small web application that takes an upload or a path from the request and runs that file as Python (runpy.run_path/run_module, execfile, exec(open(...).read()), SourceFileLoader(...).load_module()), the drop-and-run form of a webshell"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$fw = /\b(from|import)\s+(flask|bottle|django|tornado|aiohttp|fastapi|cherrypy|falcon|sanic|quart|starlette|pyramid|web|webapp2|werkzeug|litestar)\b/ ascii
		$in1 = /\brequest\s*\.\s*(files|FILES|args|form|forms|values|json|GET|POST|query|params|get_json)\b/ ascii
		$in2 = /\bself\s*\.\s*(get_(body_|query_)?argument\s*\(|request\s*\.\s*files\b)/ ascii
		$in3 = /\bawait\s+request\s*\.\s*(post|form|json)\b/ ascii
		$up = /\brequest\s*\.\s*(files|FILES)\b|\bself\s*\.\s*request\s*\.\s*files\b|\bawait\s+request\s*\.\s*(post|form)\b/ ascii
		$sv = /\.\s*(save|write)\s*\(/ ascii
		$x1 = /\brunpy\s*\.\s*run_(path|module)\s*\(\s*[A-Za-z_][\w.]*\s*[,)]/ ascii
		$x2 = /(^|[^\w.])execfile\s*\(\s*[A-Za-z_][\w.]*\s*[,)]/ ascii
		$x3 = /(^|[^\w.])exec\s*\(\s*open\s*\(\s*[A-Za-z_][\w.]*\s*[,)][^\n]{0,40}\.\s*read\s*\(\s*\)/ ascii
		$x4 = /\bSourceFileLoader\s*\(\s*[^,\n]{1,60},\s*[A-Za-z_][\w.]*\s*\)\s*\.\s*load_module\s*\(/ ascii
		// the request value itself named as the script to run
		$d = /\b(runpy\s*\.\s*run_(path|module)|execfile)\s*\(\s*(request\s*\.\s*(args|form|forms|values|json|GET|POST|query|params)\b|self\s*\.\s*get_argument\s*\()/ ascii
	condition:
		filesize < 64KB and $fw and any of ($in*) and (($up and $sv and any of ($x*)) or $d)
}
