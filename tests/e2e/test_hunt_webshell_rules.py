"""End-to-end: each bundled webshell technique rule (rules/yara/webshells*.yar)
fires, at medium or above, on its own small inert sample
(tests/fixtures/webshell/<lang>/), and no bundled rule raises anything at
medium or above on the clean look-alikes beside them
(tests/fixtures/webshell/clean/: a confined file browser, a checked upload
handler, a template engine's eval of its own output, a docblock quoting
$_POST in backticks, a JSP document viewer, a parameterised ASP.NET query,
a Flask route and an Express route running fixed commands, a CGI greeting,
an http.server status page and an Express deploy hook running fixed
programs, a Bottle status page running a fixed program on an allow-listed
value, a test server answering HTTP by hand, a plugin loader compiling
source and decoding a base64 JSON blob, a Flask route reading a literal
with ast.literal_eval, a CONNECT forward proxy, a JSON
adding server and an upload route confined to one directory, a FastAPI
route running a fixed program, a WSGI greeting, a Socket.IO log stream
through tail, an Express route destructuring the query for a table
look-up, a Flask route pinging a host from a fixed table, a gallery
listing one upload directory, a plugin loader requiring joined module
names, an http.server handler logging its path and a header, a Flask
status page running fixed commands through bare-imported popen/system, a
Socket.IO page writing to a serial device, a report route importing an
allow-listed plugin, an http.server handler logging a parsed JSON POST
a CherryPy page running a fixed command, a Flask route decrypting a
JSON token, a Flask page passing the query as a template variable, a
Django ping and a Tornado build run as argument vectors from allow-lists,
an upload saved under secure_filename, a Flask CLI console, a report
sent from a fixed table, an aiohttp handler parsing JSON, a Falcon
status page on an allow-listed unit, a Flask route table registered
in a loop, a bare ASGI greeting, a Flask page capturing pydoc's help
for fixed topics, a CGI guest book, a Flask route feeding a fixed
worker's stdin, a Flask route saving a note as JSON, a webapp2 guest book
showing uptime, a Flask page compiling a posted snippet only to check
its syntax, a CGI
disk-usage page through os.popen3 of a literal, a Flask status page
using the sh module for fixed programs, a Flask page reaching os inline
for path helpers and a fixed command, and a Flask route running the
site's own nightly job script, a Markdown CGI guide quoting `$value` in
backticks and a Python source colouriser whose docstring says "Hacked
by" its author, a Flask page splitting a form field into search tags
beside a status route running a fixed program, a Flask deploy hook
feeding bash a fixed script constant, a web2py controller searching by
request.vars beside a fixed uptime call, a Tornado WebSocket page tailing
a log as a fixed argument vector and noting what the browser sends, a
Flask status route handing an allow-listed table's command to a helper, a
Flask deploy hook running the site's fixed script and appending to a log,
a Python 2 view exec-ing a fixed constant, a FastAPI route running an
allow-listed task named by its pydantic body, a Socket.IO namespace class
writing to a serial device, a Flask admin page for one upload directory
through safe_join, a Flask thumbnail route handing a fixed convert
argument list to a helper, a Flask page rendering a fixed Jinja2 string
with the request as a variable, a Flask report route writing its own
settings file and running its own script with the server's Python), and a
copy of rasoat's own binary, which holds the webshell lines its drills
plant."""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import RASOAT, check, done, findings, jsonl, run  # noqa: E402

FIXTURES = os.path.join(os.environ.get("RS_FIXTURES", os.path.join(os.path.dirname(__file__), "..", "fixtures")),
                        "webshell")
MEDIUM_UP = ("medium", "high", "critical")

# sample -> the rule that must be among its matches
SAMPLES = {
    "php/eval_decoded.php": "RASOAT_PHP_Eval_Decoded_Blob",
    "php/preg_e.php": "RASOAT_PHP_Preg_Replace_Eval",
    "php/request_as_function.php": "RASOAT_PHP_Request_As_Function",
    "php/eval_request.php": "RASOAT_PHP_Eval_Request_Anywhere",
    "php/command_input.php": "RASOAT_PHP_Command_On_Input",
    "php/exec_probe.php": "RASOAT_PHP_Exec_Function_Probe",
    "php/recon_toolkit.php": "RASOAT_PHP_Shell_Recon_Toolkit",
    "php/uploader.php": "RASOAT_PHP_Uploader",
    "php/write_request.php": "RASOAT_PHP_Write_Request_To_File",
    "php/char_assembly.php": "RASOAT_PHP_Char_Assembly",
    "php/split_name.php": "RASOAT_PHP_Split_Function_Name",
    "php/xor_names.php": "RASOAT_PHP_Xor_Or_Reversed_Names",
    "php/long_payload.php": "RASOAT_PHP_Long_Encoded_Payload",
    "php/sql_console.php": "RASOAT_PHP_Sql_Console",
    "php/callback_sink.php": "RASOAT_PHP_Callback_Sink",
    "php/tiny_dynamic.php": "RASOAT_PHP_Tiny_Dynamic_Call",
    "php/raw_body.php": "RASOAT_PHP_Raw_Body_Evaluated",
    "php/globals_era.php": "RASOAT_PHP_Globals_Era_Shell",
    "php/underscore_call.php": "RASOAT_PHP_Underscore_Variable_Call",
    "php/header_command.php": "RASOAT_PHP_Header_To_Command",
    "php/tiny_sink.php": "RASOAT_PHP_Tiny_Request_Sink",
    "php/include_request.php": "RASOAT_PHP_Include_Request",
    "php/named_callback.php": "RASOAT_PHP_Named_Callback_Request",
    "php/dynamic_decoded.php": "RASOAT_PHP_Dynamic_Call_Decoded_Request",
    "php/comment_split.php": "RASOAT_PHP_Eval_Comment_Split",
    "php/junk_stripped.php": "RASOAT_PHP_Junk_Stripped_Name",
    "php/letter_assembly.php": "RASOAT_PHP_Letter_Assembly",
    "php/eval_remote.php": "RASOAT_PHP_Eval_Remote_Code",
    "php/upload_anywhere.php": "RASOAT_PHP_Upload_Anywhere",
    "php/globals_loop.php": "RASOAT_PHP_Globals_Loop_Dynamic_Call",
    "php/disable_functions_bypass.php": "RASOAT_PHP_Disable_Functions_Bypass",
    "php/socket_tunnel.php": "RASOAT_PHP_Socket_Tunnel",
    "php/command_form.php": "RASOAT_PHP_Command_Form_Page",
    "php/mysql_udf.php": "RASOAT_PHP_MySQL_UDF_Shell",
    "php/mail_beacon.php": "RASOAT_PHP_Mail_Beacon",
    "php/path_browser.php": "RASOAT_PHP_Request_Path_Browser",
    "php/file_manager_shell.php": "RASOAT_PHP_File_Manager_Shell",
    "php/family_banner.php": "RASOAT_Webshell_Family_Banner",
    "php/back_connect.php": "RASOAT_PHP_Back_Connect",
    "php/config_grabber.php": "RASOAT_PHP_Config_Grabber",
    "php/safe_mode_writer.php": "RASOAT_PHP_Safe_Mode_Writer",
    "php/sql_console_page.php": "RASOAT_PHP_Sql_Console_Page",
    "php/extract_request.php": "RASOAT_PHP_Extract_Request_Shell",
    "perl/request_shell.cgi": "RASOAT_Perl_CGI_Request_To_Shell",
    "python/socket_popen.py": "RASOAT_Python_Socket_Popen_Loop",
    "python/cgi_popen.py": "RASOAT_Python_CGI_Form_Exec",
    "node/shell_socket.js": "RASOAT_Node_Shell_Over_Socket",
    "jsp/exec_request.jsp": "RASOAT_JSP_Exec_With_Request",
    "jsp/reflective.jsp": "RASOAT_JSP_Reflective_Runtime",
    "jsp/class_loader.jsp": "RASOAT_JSP_Class_Loader_Shell",
    "jsp/file_manager.jspx": "RASOAT_JSP_File_Manager",
    "jsp/write_request.jsp": "RASOAT_JSP_Write_Request_To_File",
    "jsp/sql_console.jsp": "RASOAT_JSP_Sql_Console",
    "asp/eval_request.asp": "RASOAT_ASP_Eval_Request",
    "asp/shell_object.asp": "RASOAT_ASP_Shell_Object",
    "asp/file_manager.asp": "RASOAT_ASP_File_Manager",
    "asp/obfuscated_execute.asp": "RASOAT_ASP_Obfuscated_Execute",
    "asp/encoded.asp": "RASOAT_ASP_Encoded_Script",
    "asp/jscript_eval.aspx": "RASOAT_ASP_JScript_Eval",
    "asp/process.aspx": "RASOAT_ASPX_Process_With_Request",
    "asp/assembly_loader.aspx": "RASOAT_ASPX_Assembly_Loader",
    "asp/file_manager.aspx": "RASOAT_ASPX_File_Manager",
    "asp/sql_console.aspx": "RASOAT_ASPX_Sql_Console",
    "perl/cgi_command.cgi": "RASOAT_Perl_CGI_Command",
    "perl/file_manager.pl": "RASOAT_Perl_CGI_File_Manager",
    "perl/socket_shell.pl": "RASOAT_Script_Interactive_Shell_Socket",
    "python/cgi_command.py": "RASOAT_Python_Web_Command",
    "python/socket_loop.py": "RASOAT_Python_Socket_Command_Loop",
    "node/request_exec.js": "RASOAT_Node_Request_Exec",
    "node/eval_request.js": "RASOAT_Node_Request_Exec",
    "php/xor_escaped_call.php": "RASOAT_PHP_Xor_Escaped_Name_Call",
    "php/bitwise_soup.php": "RASOAT_PHP_Bitwise_String_Soup",
    "php/embedded_program.php": "RASOAT_PHP_Embedded_Script_Dropper",
    "php/small_request_exec.php": "RASOAT_PHP_Small_Request_Exec",
    "asp/request_path_write.aspx": "RASOAT_ASPX_Request_Path_Write",
    "asp/eval_request_variable.asp": "RASOAT_ASP_Eval_Request_Variable",
    "asp/downloader_writer.asp": "RASOAT_ASP_Downloader_Writer",
    "asp/sql_connect_input.aspx": "RASOAT_ASPX_Sql_Connect_From_Input",
    "asp/reversed_literal.asp": "RASOAT_ASP_Reversed_Code_Literal",
    "asp/request_text_file.asp": "RASOAT_ASP_Request_To_Text_File",
    "asp/comment_split_eval.aspx": "RASOAT_ASP_Comment_Split_Eval",
    "jsp/embedded_class.jsp": "RASOAT_JSP_Embedded_Class_Bytes",
    "jsp/request_path_write.jsp": "RASOAT_JSP_Request_Path_Write",
    "jsp/reflective_exec.jsp": "RASOAT_JSP_Reflective_Exec_Call",
    "jsp/socket_shell.jsp": "RASOAT_JSP_Socket_Shell",
    "perl/irc_bot.pl": "RASOAT_Perl_IRC_Bot_Shell",
    "python/http_handler_shell.py": "RASOAT_Python_HTTP_Handler_Shell",
    "python/websocket_terminal.py": "RASOAT_Python_WebSocket_Terminal",
    "node/variable_exec.js": "RASOAT_Node_Request_Variable_Exec",
    "node/module_compile.js": "RASOAT_Node_Request_Module_Compile",
    "python/web_request_shell.py": "RASOAT_Python_Web_Request_Shell",
    "python/raw_http_shell.py": "RASOAT_Python_Raw_HTTP_Shell",
    "python/decoded_exec.py": "RASOAT_Python_Decoded_Exec_Chain",
    "python/web_request_eval.py": "RASOAT_Python_Web_Request_Eval",
    "node/socket_tunnel.js": "RASOAT_Node_HTTP_Socket_Tunnel",
    "node/eval_variable.js": "RASOAT_Node_Request_Eval_Variable",
    "node/file_write.js": "RASOAT_Node_Request_File_Write",
    "python/route_param_shell.py": "RASOAT_Python_Web_Route_Shell",
    "python/env_request_shell.py": "RASOAT_Python_Env_Request_Shell",
    "python/flask_memory_shell.py": "RASOAT_Python_Flask_Memory_Shell",
    "node/handler_destructure_exec.js": "RASOAT_Node_Request_Handler_Sink",
    "node/web_terminal.js": "RASOAT_Node_Web_Terminal",
    "node/code_file_run.js": "RASOAT_Node_Request_Code_File_Run",
    "python/request_argv_exec.py": "RASOAT_Python_Web_Request_Argv_Exec",
    "python/file_manager.py": "RASOAT_Python_Web_File_Manager",
    "node/websocket_command.js": "RASOAT_Node_WebSocket_Command",
    "node/file_manager.js": "RASOAT_Node_Request_File_Manager",
    "node/hidden_child_process.js": "RASOAT_Node_Hidden_Child_Process",
    "python/hidden_command_call.py": "RASOAT_Python_Hidden_Command_Call",
    "python/request_path_command.py": "RASOAT_Python_Request_Path_Command",
    "python/bare_shell_call.py": "RASOAT_Python_Web_Bare_Shell_Call",
    "python/pty_terminal.py": "RASOAT_Python_Web_PTY_Terminal",
    "python/request_named_import.py": "RASOAT_Python_Request_Named_Import",
    "python/upload_drop.py": "RASOAT_Python_HTTP_Handler_Upload_Drop",
    "python/http_handler_path_strip.py": "RASOAT_Python_HTTP_Handler_Shell",
    "python/raw_http_argv.py": "RASOAT_Python_Raw_HTTP_Shell",
    "python/request_decoded_exec.py": "RASOAT_Python_Request_Decoded_Exec",
    "python/exposed_handler_shell.py": "RASOAT_Python_Exposed_Handler_Shell",
    "python/request_built_command.py": "RASOAT_Python_Web_Request_Built_Command",
    "python/multiline_shell_true.py": "RASOAT_Python_Web_Multiline_Shell_True",
    "python/request_exec_family.py": "RASOAT_Python_Web_Request_Exec_Family",
    "python/template_injection.py": "RASOAT_Python_Web_Template_Injection",
    "python/sandbox_escape_chain.py": "RASOAT_Python_Sandbox_Escape_Chain",
    "python/web_python_console.py": "RASOAT_Python_Web_Interactive_Console",
    "python/request_exec_direct.py": "RASOAT_Python_Web_Request_Exec_Direct",
    "python/upload_made_executable.py": "RASOAT_Python_Web_Upload_Exec_Or_Named_Write",
    "python/unchecked_upload.py": "RASOAT_Python_Web_Unchecked_Upload_Or_Path",
    "python/falcon_param_shell.py": "RASOAT_Python_Web_Request_Shell_Wide",
    "python/generated_route.py": "RASOAT_Python_Exec_Generated_Route",
    "python/asgi_raw_shell.py": "RASOAT_Python_ASGI_Raw_Shell",
    "python/web_exec_capture.py": "RASOAT_Python_Web_Exec_Captured_Output",
    "python/cgi_stdin_shell.py": "RASOAT_Python_CGI_Stdin_Shell",
    "python/persistent_shell_stdin.py": "RASOAT_Python_Web_Persistent_Shell_Stdin",
    "python/request_text_to_file.py": "RASOAT_Python_Web_Request_Text_To_File",
    "python/webapp_handler_shell.py": "RASOAT_Python_Webapp_Handler_Shell",
    "python/compiled_statement_exec.py": "RASOAT_Python_Web_Compiled_Statement_Exec",
    "python/legacy_process_call.py": "RASOAT_Python_Web_Legacy_Process_Call",
    "python/command_library_shell.py": "RASOAT_Python_Web_Command_Library",
    "python/inline_import_shell.py": "RASOAT_Python_Web_Inline_Import_Shell",
    "python/run_request_file.py": "RASOAT_Python_Web_Run_Request_File",
    "python/cgi_bare_stdin_shell.py": "RASOAT_Python_CGI_Bare_Stdin_Shell",
    "python/request_shell_expr.py": "RASOAT_Python_Web_Request_Shell_Expr",
    "python/request_code_expr.py": "RASOAT_Python_Web_Request_Code_Expr",
    "python/path_file_manager.py": "RASOAT_Python_Web_Path_File_Manager",
    "python/request_argv_vector.py": "RASOAT_Python_Web_Request_Argv_Vector",
    "python/shell_fed_request.py": "RASOAT_Python_Web_Shell_Fed_Request",
    "python/implicit_request_shell.py": "RASOAT_Python_Web_Implicit_Request_Shell",
    "python/websocket_process_terminal.py": "RASOAT_Python_WebSocket_Process_Terminal",
    "python/request_helper_shell.py": "RASOAT_Python_Web_Request_Helper_Shell",
    "python/request_script_run.py": "RASOAT_Python_Web_Request_Script_Run",
    "python/py2_exec_statement.py": "RASOAT_Python_Web_Py2_Exec_Statement",
    "python/model_field_shell.py": "RASOAT_Python_Web_Model_Field_Shell",
    "python/pty_terminal_events.py": "RASOAT_Python_Web_PTY_Terminal_Events",
    "python/request_path_browser.py": "RASOAT_Python_Web_Request_Path_Browser",
    "python/template_from_request_var.py": "RASOAT_Python_Web_Template_From_Request_Var",
    "python/request_file_interpreted.py": "RASOAT_Python_Web_Request_File_Interpreted",
}


def main():
    tmp = tempfile.mkdtemp(prefix="rasoat-webshell-")
    clean = []
    try:
        # a copy outside the source tree, so no path-based rule sees "tests/"
        tree = os.path.join(tmp, "site")
        shutil.copytree(FIXTURES, tree)
        # rasoat's own binary carries the webshell lines its drills plant:
        # hunting a directory that holds it must not report it
        shutil.copy(RASOAT, os.path.join(tree, "clean", "rasoat-binary"))
        # an ELF file is never a webshell: the bundled webshell rules are not
        # reported on one even when its bytes hold a sample's text (here a
        # Python rule with no ELF test of its own; the sample itself is reported)
        with open(os.path.join(FIXTURES, "python", "request_shell_expr.py"), "rb") as f:
            text = f.read()
        with open(os.path.join(tree, "clean", "elf-with-webshell-text"), "wb") as f:
            f.write(b"\x7fELF\x02\x01\x01\x00" + bytes(56) + text)
        # a release's news: 600 KB of text that names a CGI form reader and
        # a process call far apart (like Python's NEWS) is not a web handler
        with open(os.path.join(tree, "clean", "NEWS"), "w") as f:
            f.write("Library\n-------\n\n- gh-1: cgi.FieldStorage() now limits the number of form parts.\n")
            for i in range(7000):
                f.write(f"- gh-{i + 2}: fix a corner case of the parser when the input ends early ({i}).\n")
            f.write("- gh-9999: os.spawnv() on Windows accepts a path-like object.\n")
        on_disk = {os.path.relpath(os.path.join(d, f), tree)
                   for d, _, fs in os.walk(tree) for f in fs if not d.endswith("clean")}
        check(on_disk == set(SAMPLES), f"every sample is listed and every listed sample exists: {on_disk ^ set(SAMPLES)}")
        code, out, err = run("hunt", tree, "--no-db", "--format", "jsonl", "--fail-on", "none",
                             "--no-archives", timeout=300)
        check(code == 0, f"hunt exits 0 (got {code}: {err[-500:]})")
        by_path = {}
        for f in findings(jsonl(out)):
            if f["module"] != "hunt":
                continue
            p = os.path.relpath(f["evidence"]["path"], tree)
            rules = {m["rule"] for m in f["evidence"].get("matches", [])} | {f["rule"]}
            by_path.setdefault(p, []).append((f["severity"], rules))
        for sample, rule in sorted(SAMPLES.items()):
            got = by_path.get(sample, [])
            fired = any("yara:" + rule in rules for _, rules in got)
            check(fired, f"{rule} fires on {sample} (got {got})")
            check(any(sev in MEDIUM_UP for sev, _ in got), f"{sample} is reported at medium or above (got {got})")
        for p, got in sorted(by_path.items()):
            if p.startswith("clean/"):
                check(not any(sev in MEDIUM_UP for sev, _ in got), f"clean look-alike {p} raises nothing at medium or above (got {got})")
        clean = [p for p in os.listdir(os.path.join(tree, "clean"))]
        check(len(clean) >= 60, "the clean look-alikes are there")
    finally:
        shutil.rmtree(tmp)
    done("test_hunt_webshell_rules", 2 * len(SAMPLES) + len(clean) + 1)


if __name__ == "__main__":
    main()
