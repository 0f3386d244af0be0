/*
 * webshells_pyweb7.yar — Python webshell techniques, eleventh set (issue 15).
 * Generic forms, one rule per technique, from the tuning part of the corpus
 * (tenth batch: a home-automation Flask console that splits a JSON field on
 * commas and hands the list to Popen; a CTF page that builds
 * ['python3'] + list(request.args.keys()) and runs it) and from the same
 * technique's other public forms: a request value turned into an argument
 * vector and run without a shell. RASOAT_Python_Web_Request_Argv_Exec
 * (webshells_pyweb2.yar) reads only a split on one space or shlex.split in
 * a framework file with `subprocess.` calls; this set reads a split on any
 * separator or none, request values added to a fixed program's list
 * (`[...] + request...`, `list(request.args...)`, `.extend(request...)`,
 * `.append(request...)`, `getlist`), a list taken whole from the request's
 * JSON, the request body taken whole as the program (juju/amulet's CherryPy
 * run module in the tuning part), the CGI form, Tornado arguments and the
 * http.server path as sources, and `Popen`/`check_output` imported bare
 * from subprocess, the os.exec and os.spawn families or asyncio's
 * create_subprocess_exec(*...) as the runner; and a shell or
 * interpreter started with no script and handed the request as its whole
 * standard input (communicate(...) or run(..., input=...)), the one-shot
 * form of the persistent-shell rule of webshells_pyweb4.yar; and, from
 * public framework documentation rather than the corpus, controllers whose
 * framework hands the request in without an import (web2py's global
 * request.vars, mod_python publisher arguments, TurboGears/Pylons @expose
 * parameters) running a request value in a shell. Each rule has an inert
 * sample under tests/fixtures/webshell/python/ and a clean look-alike
 * under tests/fixtures/webshell/clean/.
 */

rule RASOAT_Python_Web_Request_Argv_Vector
{
	meta:
		description = "Python: a web route or handler (a framework route, a CGI script, an http.server handler) that turns a request value into an argument vector (split on any separator, shlex.split, request values or keys added to a fixed program's list with +, extend, append or getlist, a list taken whole from the request's JSON, the request body taken whole as the program) and runs it without a shell (subprocess Popen/run/call/check_output, also imported bare, os.exec*/os.spawn*, asyncio's create_subprocess_exec): a remote-command page that needs no shell=True"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$fw1 = /\b(from|import)\s+(flask|bottle|django|tornado|aiohttp|fastapi|cherrypy|falcon|sanic|quart|starlette|pyramid|web|werkzeug|litestar|twisted\.web|microdot)\b/ ascii
		$fw2 = /\b(Base|Simple)HTTPRequestHandler\b/ ascii
		$fw3 = /\bFieldStorage\s*\(/ ascii
		$cp = /\bimport\s+cherrypy\b/ ascii
		$rq = /\brequest\s*\.\s*(args|form|forms|values|json|data|query|params|GET|POST|query_params|get_json\s*\(\s*\))/ ascii
		$a1 = /\brequest\s*\.\s*(args|form|forms|values|json|data|query|params|GET|POST|query_params|get_json\s*\(\s*\))\s*(\[\s*['"][^'"\n]{1,40}['"]\s*\]|\.\s*get\s*\(\s*['"][^'"\n]{1,40}['"][^)\n]{0,40}\))\s*(\.\s*(strip|decode)\s*\([^)\n]{0,20}\)\s*)?\.\s*split\s*\(/ ascii
		$a2 = /\bshlex\s*\.\s*split\s*\(\s*request\s*\.\s*(args|form|forms|values|json|data|query|params|GET|POST|query_params|get_json)\b/ ascii
		$a3 = /\]\s*\+\s*(list\s*\(\s*)?request\s*\.\s*(args|form|forms|values|json|query|params|GET|POST|query_params)\b/ ascii
		$a4 = /\.\s*(extend|append)\s*\(\s*(list\s*\(\s*)?request\s*\.\s*(args|form|forms|values|json|query|params|GET|POST|query_params)\b/ ascii
		$a5 = /\]\s*\+\s*(list\s*\(\s*)?request\s*\.\s*(args|form|forms|values|query|params|GET|POST|query_params)\s*\.\s*getlist\s*\(/ ascii
		$a6 = /\.\s*getvalue\s*\(\s*['"][^'"\n]{1,40}['"][^)\n]{0,20}\)\s*\.\s*split\s*\(/ ascii
		$a7 = /\bself\s*\.\s*path\b[^\n]{0,60}\.\s*split\s*\(/ ascii
		$a8 = /\bself\s*\.\s*get_(body_|query_)?argument\s*\(\s*['"][^'"\n]{1,40}['"][^)\n]{0,40}\)\s*\.\s*split\s*\(/ ascii
		$js = /=\s*(flask\s*\.\s*)?request\s*\.\s*(get_json\s*\(|json\b)/ ascii
		$bw = /\b[a-z_]\w*\s*=\s*(cherrypy\s*\.\s*|bottle\s*\.\s*|flask\s*\.\s*)?(request|self\s*\.\s*request)\s*\.\s*(body\s*\.\s*read\s*\([^)\n]{0,20}\)|get_data\s*\([^)\n]{0,30}\)|data\b|body\b|stream\s*\.\s*read\s*\([^)\n]{0,20}\))[^\n]{0,40}\n[\s\S]{0,300}\b(subprocess\s*\.\s*)?(check_output|Popen|run|call|check_call)\s*\(\s*[a-z_]\w*\s*[,)]/ ascii
		$imp = /\bfrom\s+subprocess\s+import\b/ ascii
		$x1 = /\bsubprocess\s*\.\s*(Popen|run|call|check_output|check_call)\s*\(\s*[a-z_]\w*\s*[,)]/ ascii
		$x2 = /(^|[^\w.])(Popen|check_output|check_call)\s*\(\s*[a-z_]\w*\s*[,)]/ ascii
		$x3 = /\bos\s*\.\s*(execvp?e?|spawnvp?e?)\s*\(\s*[^\n]{1,40}\b[a-z_]\w*\s*\)/ ascii
		$x4 = /\bsubprocess\s*\.\s*(Popen|run|call|check_output|check_call)\s*\(\s*(shlex\s*\.\s*split\s*\(\s*)?request\s*\./ ascii
		$x5 = /\bcreate_subprocess_exec\s*\(\s*\*\s*([a-z_]\w*\s*[,)]|request\s*\.|shlex\s*\.\s*split\s*\(|[a-z_][\w.]*\s*(\[[^\]\n]{1,40}\]\s*)?\.\s*split\s*\()/ ascii
		$j1 = /\bsubprocess\s*\.\s*(Popen|run|call|check_output|check_call)\s*\(\s*[a-z_]\w*\s*\[\s*['"][^'"\n]{1,30}['"]\s*\]\s*[,)]/ ascii
		$j2 = /(^|[^\w.])(Popen|check_output|check_call)\s*\(\s*[a-z_]\w*\s*\[\s*['"][^'"\n]{1,30}['"]\s*\]\s*[,)]/ ascii
		$test = /\bimport\s+(unittest|pytest)\b|\bfrom\s+(unittest|test)\s+import\b/ ascii
	condition:
		filesize < 200KB and not $test and (
			((
				($fw1 and $rq and any of ($a1, $a2, $a3, $a4, $a5)) or
				($fw1 and $a8) or
				($fw3 and $a6) or
				($fw2 and $a7)
			) and ($x1 or ($imp and $x2) or $x3 or $x4 or $x5)) or
			($fw1 and $js and ($j1 or ($imp and $j2))) or
			(($fw1 or $cp) and $bw)
		)
}

rule RASOAT_Python_Web_Shell_Fed_Request
{
	meta:
		description = "Python: a web route or HTTP handler that starts a shell or interpreter (sh/bash/cmd/powershell/python as the program, no script named) and hands it the request as its standard input in one go (communicate(...) or run(..., input=...) of a request value or a name), so the request body is the script the shell runs"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1059.004"
	strings:
		$fw1 = /\b(from|import)\s+(flask|bottle|django|tornado|aiohttp|fastapi|cherrypy|falcon|sanic|quart|starlette|pyramid|web|werkzeug|litestar|twisted\.web|microdot)\b/ ascii
		$fw2 = /\b(Base|Simple)HTTPRequestHandler\b/ ascii
		$fw3 = /\bFieldStorage\s*\(/ ascii
		$sh = /\b(Popen|run|check_output|call)\s*\(\s*\[?\s*['"](\/usr)?(\/bin\/)?(ba|z|da|k)?sh(\.exe)?['"]\s*(\]|\)|,\s*(stdin|stdout|stderr|shell|input|capture_output|text|universal_newlines|bufsize|env|cwd)\s*=)|\b(Popen|run|check_output|call)\s*\(\s*\[?\s*['"](cmd|cmd\.exe|powershell|powershell\.exe|pwsh|(\/usr\/bin\/)?python3?)['"]\s*(\]|\)|,\s*(stdin|stdout|stderr|shell|input|capture_output|text|universal_newlines|bufsize|env|cwd)\s*=)/ ascii
		$in1 = /\brequest\s*\.\s*(args|form|forms|values|json|data|body|query|params|GET|POST|get_json|get_data|query_params|stream)\b/ ascii
		$in2 = /\bself\s*\.\s*(get_(body_|query_)?argument\s*\(|request\s*\.\s*body\b|rfile\s*\.\s*read\s*\()/ ascii
		$in3 = /\bawait\s+(request|req)\s*\.\s*(json|post|text|read|form|body)\s*\(/ ascii
		$in4 = /\.\s*(getvalue|getfirst)\s*\(\s*['"]/ ascii
		$p1 = /\.\s*communicate\s*\(\s*(input\s*=\s*)?([a-z_]\w*|request\s*\.[\w.]+|self\s*\.\s*rfile\s*\.\s*read\s*\([^)\n]{0,40}\))\s*(\.\s*encode\s*\([^)\n]{0,20}\)\s*)?[,)]/ ascii
		$p2 = /\b(run|check_output|call)\s*\([^\n]{0,120}\binput\s*=\s*([a-z_]\w*|request\s*\.[\w.]+|self\s*\.\s*rfile\s*\.\s*read\s*\([^)\n]{0,40}\))/ ascii
		$test = /\bimport\s+(unittest|pytest)\b|\bfrom\s+(unittest|test)\s+import\b/ ascii
	condition:
		filesize < 200KB and not $test and any of ($fw*) and $sh and any of ($in*) and any of ($p*)
}

rule RASOAT_Python_Web_Implicit_Request_Shell
{
	meta:
		description = "Python: a web controller of a framework that hands the request in without an import of it (web2py's global request.vars/post_vars/get_vars, a mod_python publisher function's keyword arguments, a TurboGears/Pylons @expose method's parameters) and runs a request value in a shell or as code (os.system/os.popen, getoutput, shell=True, exec/eval)"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$w1 = /\b[a-z_]\w*\s*=\s*request\s*\.\s*(vars|post_vars|get_vars)\b[^\n]{0,60}\n[\s\S]{0,300}(\bos\s*\.\s*(popen[234]?|system)\s*\(\s*[A-Za-z_]|\b(getoutput|getstatusoutput)\s*\(\s*[A-Za-z_]|\b(run|call|Popen|check_output|check_call)\s*\(\s*[A-Za-z_][\w.]*\s*,[^\n]{0,120}\bshell\s*=\s*True|(^|[^\w.])(exec|eval)\s*\(\s*[A-Za-z_])/ ascii
		$w2 = /(\bos\s*\.\s*(popen[234]?|system)|\b(getoutput|getstatusoutput|check_output|Popen|call|run)|(^|[^\w.])(exec|eval))\s*\(\s*(str\s*\(\s*)?request\s*\.\s*(vars|post_vars|get_vars)\b/ ascii
		$mpi = /\bfrom\s+mod_python\s+import\b|\bimport\s+mod_python\b/ ascii
		$mp = /\bdef\s+\w+\s*\(\s*req\s*,\s*[A-Za-z_][^)\n]{0,80}\)\s*:[^@]{0,400}(\bos\s*\.\s*(popen[234]?|system)\s*\(\s*[A-Za-z_]|\b(getoutput|getstatusoutput)\s*\(\s*[A-Za-z_]|\b(run|call|Popen|check_output|check_call)\s*\(\s*[A-Za-z_][\w.]*\s*,[^\n]{0,120}\bshell\s*=\s*True|(^|[^\w.])(exec|eval)\s*\(\s*[A-Za-z_])/ ascii
		$tgi = /\bfrom\s+(tg|turbogears|pylons)(\.\w+)*\s+import\b|\bimport\s+(tg|turbogears|pylons)\b/ ascii
		$tg = /@expose\s*(\([^)\n]{0,80}\))?\s*\n\s*def\s+\w+\s*\(\s*self\s*,\s*[A-Za-z_][^)\n]{0,80}\)\s*:[^@]{0,400}(\bos\s*\.\s*(popen[234]?|system)\s*\(\s*[A-Za-z_]|\b(getoutput|getstatusoutput)\s*\(\s*[A-Za-z_]|\b(run|call|Popen|check_output|check_call)\s*\(\s*[A-Za-z_][\w.]*\s*,[^\n]{0,120}\bshell\s*=\s*True|(^|[^\w.])(exec|eval)\s*\(\s*[A-Za-z_])/ ascii
		$test = /\bimport\s+(unittest|pytest)\b|\bfrom\s+(unittest|test)\s+import\b/ ascii
	condition:
		filesize < 200KB and not $test and ($w1 or $w2 or ($mpi and $mp) or ($tgi and $tg))
}
