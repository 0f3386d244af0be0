#!/usr/bin/env python3
"""bench/webshell_corpus.py — rebuild the webshell corpus of docs/HUNT.md
("Webshell corpus and recall") from git mirrors of its public sources.

It reads each source repository at its recorded commit with `git ls-tree`
and `git cat-file` (never checks anything out, never runs anything it
reads), takes the files of the recorded paths by extension, drops files
under 40 bytes, deduplicates by SHA-256 in batch order (a file already
taken by an earlier batch or repository is skipped, so nothing moves), and
splits by hash: a file whose SHA-256's first 32 bits are divisible by 3 is
held out, the rest is the tuning part. Files are written as
OUT/{heldout,tune}/<lang>/<sha256 prefix>_<base name>.

Usage: bench/webshell_corpus.py MIRRORS OUT [--batches 1,2,3,4,5,6,7,8,9,10,11] [--add]
  MIRRORS holds one git directory per source, named owner+name (the layout
  the `fetch` tool gives: MIRRORS/owner+name/repo or .../repo/.git).
  OUT must be outside the repository (samples are never committed).
  --add adds the batches named to an existing corpus (its files count as
  already taken), as the batches were added over time; building all
  batches at once into an empty OUT gives the same files.
It prints, per batch, the files added per part and language, then the
totals; per-repository counts are printed for the tuning part only
(`--tune-log FILE`), so the held-out part is never seen file by file.
A recorded commit missing from a mirror is reported and that source
skipped (exit status 1 at the end).
"""
import argparse
import hashlib
import os
import subprocess
import sys

# extension -> language (lower-cased extension of the base name)
LANG = {
    "php": "php", "php3": "php", "php4": "php", "php5": "php", "php6": "php",
    "php7": "php", "phtml": "php",
    "jsp": "jsp", "jspx": "jsp",
    "asp": "asp", "aspx": "asp", "ashx": "asp", "asmx": "asp", "asa": "asp",
    "cer": "asp",
    "pl": "perl", "cgi": "perl", "pm": "perl",
    "py": "python",
    "js": "node",
}
MIN_SIZE = 40

# (owner/name, commit, include, exclude): include is a tuple of path
# prefixes (a directory ends in "/") or exact paths, empty for the whole
# tree; exclude likewise, and a path with a `node_modules` directory is
# never taken. Order matters for dedup only (the first copy of a content
# keeps its label); the split depends on the content alone.
BATCHES = {
    1: [
        ("tennc/webshell", "6b17eae4a0bc792f996a38ce32772e4db9c7c799", (), ()),
        ("BlackArch/webshells", "e8e1a379c38240ec0db89f01be6175012d72a0e8", (), ()),
        ("JohnTroony/php-webshells", "226a15d0684e2f893caed0b94fbbf0037b89adea", (), ()),
        ("xl7dev/WebShell", "f7cd87feb5ef0375fc7a7cbcfea15713a3fb5c5b", (), ()),
        ("nikicat/web-malware-collection", "0ae7c5bff1aad36ea12e19579997c902580879a5", (), ()),
    ],
    2: [
        ("JiaHeng-DLUT/Webshell-samples", "84be4718b39aabf6755f5b2cb0e11f169a5c1122",
         ("samples/webshell/",), ()),
        ("for-just-we/webshell_sample", "051903ec3e9585ea80dc5e68799fe1433502d842",
         ("train/webshell/", "test/webshell/"), ()),
        ("ysrc/webshell-sample", "dbaeee16226aba66138b9d7ff68b6a2b2644e9e6", (), ()),
        ("fuzzdb-project/fuzzdb", "5656ab25dc6bb43bae32236fab775658a90d7380",
         ("web-backdoors/",), ()),
        ("bartblaze/PHP-backdoors", "8ca75ed86a5594fb2efb4629cc417f220cda9c82", (), ()),
        ("tanjiti/webshellSample", "01142b76a05afe43a85284feb15be8ec893dc1da", (), ()),
        ("threedr3am/JSP-WebShells", "56c18d9e10bc97221acea7bd70cd228b9afb7e2c", (), ()),
        ("LandGrey/webshell-detect-bypass", "a7057c5c54e03c9f2a1afe0b5546ef14b8e81bc6", (), ()),
        ("0xAnalyst/webshells", "934f9c0e6c3ebff7aa6e6ee0b2069c4e29818ec6", (), ()),
    ],
    # third batch: Python and Node.js above all; server-side parts only
    3: [
        ("AntSwordProject/AwesomeScript", "39816efcb024c93891396e80c93b664437946c1a", (), ()),
        ("JoyChou93/webshell", "2185acc2b494f7c0dd8487273d514fb89ebe9240", (), ()),
        ("Ridter/Pentest", "ae8b602c7008e0a41c95bcf8d6dd27b87b5c5037", ("backdoor/",),
         ("backdoor/Extension_Backdoor/", "backdoor/tunnel/reduh/reDuhServers/__MACOSX/",
          "backdoor/tunnel/tunna_0.1/proxy.py",
          "backdoor/tunnel/reGeorg-master/reGeorgSocksProxy.py")),
        ("webshellpub/awsome-webshell", "3e29e894a728077c44136cffbeca4c158acbc23d", (), ()),
        ("backlion/webshell", "4ced903c80d5dd5014e950791315b6e10fdc7ed8", (), ()),
        ("BDLeet/public-shell", "43661e953b2764a98cd2bc972304b13381c5a205", (), ()),
        ("Jerr279/AllTheWebShells", "b1adf6b062a90f1ddca4b5d2aa77731df064a549", (), ()),
        ("exploide/webshells", "9ea5a825f74ac451420a89187624dafc6e8626d4", (), ()),
        ("whitebyte0/Webshells", "bd5f976dddc5235dd8582d10b2652989f357f230", ("src/backend/",), ()),
        ("antonioCoco/SharPyShell", "29718225791f11fd3d66dd03df4c05c414256630", ("agent/",), ()),
        ("Fcvebf/Payloads", "ffb187d2a0ce41387af6f6e22024e8759b3db056", ("os_shell.js",), ()),
        ("crowjdh/webshell", "b7f45082c5244ffb8ecd6dbb1ffce97918b630a2", (), ()),
        ("swiewiora/python-webshell", "375cd943acbc8908dccdd8d7f35556ca03c5ce12", ("webshell/",),
         ("webshell/static/",)),
        ("Franco-Mezzarapa/python-webshell", "03cc42250b4da55e16ab4cab66b2b83450bbe4b9", (), ()),
        ("Josh-su/PyWebShell", "f0ae449297145153b2ce0631583647bf6e39dead",
         ("websocket_server.py", "backend/web_terminal_dispatcher.py"), ()),
        ("jamosnet/pywebshell", "fe95c4276516d7825357036fa0af081348d8c13e", (), ()),
        ("christophgysin/PyWebShellFM", "8658608e25a4f8deafbcdc657c7b033708c6bac8",
         ("index.py", "interface.py"), ()),
        ("cloudcant/pyWebShell", "48bf99279a0026528b1ae716fa9c97c1bfc86d96", (), ()),
        ("per-ivan/simple-flask-webshell", "9aa054ab0799e226f96c09b6fbaa701994db9c2d", (), ()),
        ("Moustik06/Webshell-Python", "c5d8cf726f6835b3e2e27bc7c44a91f9176e152c", (), ()),
        ("awurster/simple-webshell-py", "fcd0424bdb84ddcc56161a7d4c80c0cbcb7f25f6", (), ()),
        ("wcenatus/node-backdoor", "14332e4d46636d759b1ea34993481cb22c8cb243",
         ("index.js", "db.js", "db/", "routes/"), ()),
        ("wlanboy/webpyshell", "ab5ac3c83c39a7c9c702e09ca38fc5ad50d3a761", ("main.py",), ()),
        ("mmiszczyk/shell2http", "d572c38008659383c7c269a3dc78d912e2346ac6", ("shell2http.py",), ()),
        ("riyazwalikar/python-django-revshell", "5abcfd89aab81e13ff130cac246500a3daa83b5d", (), ()),
        ("appsecco/django-rev-shell", "f4863a4502b33f80293de1eacabcbe585900d3fc", (), ()),
        ("BurhanuddinMerchant/web-terminal", "a4b22e630f0a11718e5ed3979ef3b6af1dba8ba5",
         ("index.js",), ()),
        ("t-rekttt/t-shell", "29d51058bff572a28db9475a74e3000b94d8802f", ("server.js",), ()),
        ("sarthakSharma5/Remote-Command-Execution-Server",
         "886722272b45ec1d69f7ca94e93e6237997b678c", ("under_cgi-bin/",), ()),
        ("dalalayan1/sample-terminal", "83557113f3f454e0636db103a746405f55e0a988", ("server.js",), ()),
        ("rubens001/node", "9aadf0e19c138e497d1b8bf273ab86dcf8a0e95c", ("nwshell/",), ()),
        ("serverwentdown/file-manager", "827758ea2a57d2095e57805e8a0f815aab791543", ("index.js",), ()),
    ],
    # fourth batch: Python and Node.js again, plus two toolkits' tunnel scripts
    4: [
        ("the-abra/flask-backdoor", "aff60a402f0e028f2e92f242dd550e145166a4b3", ("core/",), ()),
        ("bcvillano/flask-backdoor", "8f28c289e201f23d0cc4985523b3f8e8f4ff8662", ("backdoor.py",), ()),
        ("the-mr/Flask-Backdoor", "92ace2ca9871f334074dcf6f59584f8e7af1c7b4", ("v1app.py",), ()),
        ("jiangzhuo/express-backdoor", "504b62f08458046c5284e08fb70e9572d07d7327", ("index.js",), ()),
        ("Dark-Kernel/cloud-shell", "54118c183ba40db18535652f7d295e912e695942", ("index.js",), ()),
        ("huyvipp/power-shell", "62003107bd420554a7f63626fa6d1d45db3b721a", ("index.js",), ()),
        ("Phasip/minihttpshell.py", "7539fddd08cf5b81a3f15a43de1d05b35ed34f9e", (), ()),
        ("fllaca/py-http-shell", "2290ff875bce565930a11bb4177601e361292cc2", ("app.py",), ()),
        ("samarpanda/node-http-shell", "9a8b6d012491ca0cc11eb4a87807ff81d68b6287", ("app/",), ()),
        ("cyberheartmi9/web-backdoor", "1b2120178dd128faf0706e11a0bd3952b3b854a4", (), ()),
        ("Raghul97/Flask-Shell-Executor", "8a4f06c28964c34dd7b3e720166f2e0d79933dee", ("main.py",), ()),
        ("asidko/node-http-shell-wrapper", "a808ea6c306eadc7fe7a7d5f1044583ca3af3236",
         ("run_sh_server.js",), ()),
        ("ZyperX/Flask-Shell", "6a7234a14329aeff19ce779787c4b362a7c6dd0c", ("shell.py",), ()),
        ("Sid1337/Flask-Shell", "f70e83b0acf5818d3332eb1dcb749b7f5aed4f89",
         ("web_shell/", "reverse_shell/"), ()),
        ("gowithwind/One", "facff29dd714de78d738adb972611507b4ca50b1", ("app.py",), ()),
        ("luojr9/web", "e97dbd79f55f77ea967fd56caebf95bd32f031b1", ("main.py",), ()),
        ("AgeOfMarcus/ai-control", "c31c6d1afee68aceea7ef4fe205258528d2419a3", ("termux_agent.py",), ()),
        ("cisco-ai-defense/mcp-scanner", "893327c54d223ea07296f68f32d8294f5c045f4a",
         ("evals/behavioral-analysis/data/backdoor/multi_feature_web_shell.py",), ()),
        ("sensepost/reGeorg", "1ca54c2a6ab22ded150d04cff8fdb796990b1ced",
         ("tunnel.",), ()),
        ("L-codes/Neo-reGeorg", "7379c6db703c3d626d361c1d7be542963b46aeb6", ("templates/tunnel.",), ()),
    ],
    # fifth batch (2026-12-05, eighth session): Python and Node.js web shells,
    # web consoles and remote-command servers, server side only
    5: [
        ("ICWR-TECH/python-cgi-shell", "58522efa98ba96c5221e9c3e44f4f1126f53b6a9", ("cgi-shell.py",), ()),
        ("onrik/django-webshell", "a88bdc605b7342a84cd5f8ab4f1614a113221ebc", ("webshell/",),
         ("webshell/migrations/", "webshell/static/", "webshell/tests.py")),
        ("jowolf/django-webshell", "09044213921ef7238e744482966554b85a28b93c", ("webshell/",),
         ("webshell/migrations/", "webshell/static/", "webshell/tests.py")),
        ("defiler/django-webshell", "4045e40a54c1d01ca3f8ebb715acbd4f08050f71", ("webshell/",),
         ("webshell/migrations/", "webshell/static/", "webshell/tests.py")),
        ("vukasin/tornado-shell", "e5bb1b4371cd500ee2f3301db075ccf4f4f2df42", ("tornadoshell/",), ()),
        ("fffilo/pywebcmd", "fbc0e1bf37bf755d7aa3343fd22320d1cbb09d10", ("src/server/",), ()),
        ("derekmc/webcmd-py", "c5361b7dfc1810b404e91b8bdc0994b89534a123", ("server.py", "cmd/"), ()),
        ("misraX/fastapi-shell-commands", "5c9dfabd6d09be6876f494e22a14274009dc4b35", ("app/",), ()),
        ("GeoPablo/Dummy-NodeJS-Backdoor", "e96f7bb9e6b4d0b486ce889f36560c1def33926a", (), ()),
        ("weakfi/node-rce-poc", "f5765c6a25ae5c14c66573b205a50bfa7d0bc83c", (), ()),
        ("KazeDevID/express-shell-exec", "eab3c48d075b05de9b4b3a0f9e80a359d0e087bc", (), ()),
        ("mikekim-fullstack/express-shell-execute-js", "89ffee9fb78750d5097579bf5a7d16dea2e576de",
         ("index.js",), ()),
    ],
    # sixth batch (2026-12-05, ninth session): Python web shells, web
    # terminals and remote-command web servers, server side only
    6: [
        ("Krajzys/python_web_shell", "e5214a5caeca0e8d0042b2daade7f5bebee2c4c2", ("app.py",), ()),
        ("Kairos-T/http-backdoor", "c932b52fe27410824c20bdb2582f4f8ed465a12c", ("main.py",), ()),
        ("rastreador/flask-exec-cmd", "524596c43f51afc6719145128083d136972ec970", ("app.py",), ()),
        ("Abhinavv2k5/MyPyShell-WebTerminal", "295cdebd68d5c5c745ab17dcff10c6d4ea4ab10c",
         ("app.py", "commands.py"), ()),
        ("kamisaberi/python-web-based-remote-shell", "6312b7d00bee22044924c72a94cd70980c2988bc",
         ("webshell.py", "server.py", "aa/webshell.py", "aa/webllehs.py", "aa/websocketserver.py"), ()),
        ("thevgergroup/flask-terminal", "c50a3fda3e4915cbe55cacbbd12cb548174b0e70",
         ("flask_terminal/",), ("flask_terminal/static/",)),
        ("yashkushwa/quick-flask-terminal", "b7bcd27e9a9717d547d3a71d302482e8f9e76e5c", ("app.py",), ()),
        ("LWZXS/heroku", "4c4f96502e2bc4f2bfbfee217754045bb8c962fa", ("app.py",), ()),
        ("yechielw/pythonAPI", "28a8ca7214113ed1323b8cec3b5383fb7af7cbfd", ("main.py",), ()),
        ("uthcode/learntosolveit", "880f3b407d7501a351cd99b03aeeb544a82baeac",
         ("presentations/pyconapac12/webappdev/getshellcmd.py",
          "presentations/pyconapac12/webappdev/cgi-shell.py",
          "presentations/pyconapac12/webappdev/cgi-bin/cgi-shell.py"), ()),
        ("yashsaxena750/bug_py", "8019016956176b6a0f3ef1ac35e5609d41dc42d2", ("app.py",), ()),
        ("Arryboom/flask_webshell", "ac9b50637857084d11a79e92a5dfbbaf14106c4d", ("app.py",), ()),
        ("redmoses/flaskshell", "6a183266f3cd03aafc6c5ab67535aa79a9efea24", ("src/app.py",), ()),
        # repositories holding a webshell.py, kept by their names and READMEs
        ("Leeyangee/python_webshell", "69209ce14adfa26f82f533aeb7a04dfbad05a135", ("webshell.py",), ()),
        ("offport/PythonWebshell", "f3479e97b0c64b542feebda9fcfc7f679af67c91", ("webshell.py",), ()),
        ("MikeKamau/WebShell", "b7159590deabc52734ddb2df543dd1b042c60e58",
         ("webshell.py", "__init__.py"), ()),
        ("xypiie/WebShell", "1120fca8f875c1139be7beffc495c4a09da750a3", ("webshell.py",), ()),
        ("jdotjdot/WebShell", "584b5b139e3cc4e67774be8844bd9957b6af92a8", ("webshell.py",), ()),
        ("dlegault/WebShell", "8d5a53150c56cb6d23b1c2cae184ed5e3f432e2e", ("webshell.py",), ()),
        ("bleriot14/web_shell", "5a170d2de71ddfe6b9f0fc9bed49df8169ea9b9b", ("webshell.py",), ()),
        ("mynicolas/web-shell", "fdcde310c6acfc3fc67d31c39c6e80054f30a9a1", ("webshell.py",), ()),
        ("pboehm/webshell", "9f73fd7997e60e7b3ffccddb05c3df791268979e", ("webshell.py",), ()),
        ("tjtelan/webshell", "001e075dfe291ac0ff74c60719e41580c49da46e", ("webshell.py", "webshell/"),
         ("webshell/static/",)),
        ("ssanti86/webshell", "1970a447b7f5eaba27798793de3132d8b57a11e1",
         ("webshell.py", "simple_webshell.py"), ()),
        ("Zack007-as/webshell", "cc900a92e0b8dde290e9acbe8429879f8b650bbe", ("webshell.py",), ()),
        ("ZZP-DMU/webshell", "0d59dc4dbe51dd33e95d970e779fc4d91c61a9f7", ("webshell.py",), ()),
        ("FengZi-lv/WebShell", "ef08808ae7dc904892df92fe1f14899267d0a717", ("webshell.py",), ()),
        ("gando537/serveur_web_shell", "d03127e053acd5c336df1bbaf75a77475340cf48", (),
         ("test.py",)),
    ],
    # seventh batch (2026-12-05, ninth session): Python remote-command web
    # servers, a Bottle command API, Flask RCE demonstrations and CTF pages,
    # an aiohttp directory browser through a shell (server side only; no
    # vendored bottle.py, tests or clients)
    7: [
        ("runforever/pyshell-server", "56fa6510dc07289f18e86b3aaf59773700a73fee",
         ("app.py", "pyshell.py"), ()),
        ("liuziyingbeidou/py-exeshell-server", "3eb30a8ec371d71f161f73ae33720d2068da895e",
         ("api/MonitorExeShellServer.py", "common/exeshell.py"), ()),
        ("jdb5523/flask-rce-demo", "b4d8f85eff6b2212e7dc94591f015cf49e049412",
         ("app_vulnerable.py",), ()),
        ("Randark-JMT/web_202210_eazy-flask-rce", "3b982cb3d754eb87369416b5ba0ff3e1e540c161",
         ("src/app.py",), ()),
        ("limsammy/flask-rce-ssti-poc-lesson", "98caf19f4591f18d777bff3eb75cc8a94cd7f414",
         ("app/main.py",), ()),
        ("hno3kyoz/elf", "3a6869746f4461c87cd820b45a76b4ceb32e2dcd", ("browser.py",), ()),
    ],
    # eighth batch (2026-12-05, tenth session): Python remote-command web
    # servers, a hidden Flask back door, web Python consoles (App Engine's
    # shell, a Flask code runner, a notebook back end), a Django web command
    # page, RCE demonstration and CTF pages (server side only, one file each)
    8: [
        ("niebardzo/VulnerableRestApi", "a38258658518415c8116e70019c392694f3e6255",
         ("localserver.py",), ()),
        ("huaweictf/xctf_huaweicloud-qualifier-2020", "58e10707720c193a7770bd96fda6794973c39eab",
         ("web/hids/web/app.py",), ()),
        ("google-code-export/google-app-engine-samples", "f61b7c210e003b685b7bb53d044b34a2ce08bcea",
         ("shell/shell.py",), ()),
        ("alej0varas/webcmd", "9c31058f52c7a644e6b0c6827010b5e102d2993e", ("webcmd/views.py",), ()),
        ("Aviksaikat/WalkThroughs", "259fa587acd7c983ef8d1836adc2a95be03aeb15",
         ("imaginaryCTF-21/web/saaS_DONE/C279-app.py",), ()),
        ("maksimKorzh/epyco", "ed0c76c5367307009a85659ed512bdd5b2746b4a", ("app/app.py",), ()),
        ("taw/electron-adventures", "c7d5f3e5be673ed90561cad5b44d10ab9e1f355c",
         ("episode-57-notebook-python-http-backend/app.py",), ()),
        ("hemanth22/pythonapi-linuxcmd", "eadb68f3d76fe6e78f70bd62fe08d229fdde810f", ("app.py",), ()),
        ("pwno-io/internal-test", "330b1bb9d96793916531473965b9338e0b40c996", ("app.py",), ()),
        ("senders-olek/docker-hello-xxx", "b87922bf8cfdcabf819449798408a058776c1e2a", ("main.py",), ()),
        ("xiaodongzhang1025/python-bottle", "40c80de0333681c13848351cbc7c7db59f543c51",
         ("server.py",), ()),
        ("DaniloNC/damn-vuln-flask-app", "d22d7cfb79c08e860d6edd78051b97f817878126",
         ("damn-vuln-flask-app/main.py",), ()),
    ],
    # ninth batch (2026-12-05, eleventh session): Python web shells named
    # web_shell.py, remote-command CGI pages (cgi-bin/cmd.py of Linux
    # automation course tasks), a browser shell's CGI side, a command-
    # injection lab page (server side only, chosen by file name)
    9: [
        ("uwcirg/web-shell", "3244a5da691f64983d2f35fca678889785b4ce0c", ("web_shell.py",), ()),
        ("fvalenzuelag/python-shell", "ff66952e73398a64b574ff1c186ba4707fde07bd",
         ("web_shell.py",), ()),
        ("ErNisha4800/PythonShell", "388f2b83101bfed23b7e127fbb11da8b68aa5b8e",
         ("web_shell.py",), ()),
        ("jcubic/leash", "b2906baf44cb1f68798bc80798586dec48df260a",
         ("cgi-bin/cmd.py", "cgi-bin/python.py"), ()),
        ("gagankrmahto/arth_task_9.2", "cb570b6645a891bda8b7c2ca550764ae84434bf0",
         ("cgi-bin/cmd.py",), ()),
        ("smc181002/python_run_cmd_task_2", "964a1ae84e4e0d20c6fe852561b62515f6f0df00",
         ("cgi-bin/cmd.py",), ()),
        ("techivivek/Menu-Based", "05a04b12b15dd58315a77117a5a6c3d43c42fef0",
         ("cgi-bin/cmd.py",), ()),
        ("xavier9909/python-task-2-project_iiec_rise", "b2ac59d012492baf58ef8f21df336eb978452d6f",
         ("cgi-bin/cmd.py",), ()),
        ("vikashkr437/firebase_app", "f0e6e19f020d54ed4309fe904c5d7b16df1bc2d7",
         ("cgi-bin/cmd.py",), ()),
        ("JerryShah3/devsecops-lab", "af3eca1f93d46c27d9c39d1be31784e0d6731055", ("app.py",), ()),
        ("Aditya9576/linux-website", "b05e7ed446841fa6768a2ae91b0482af8f394da4",
         ("cgi-bin/terminal.py",), ()),
        ("MahTha/lw_menu", "249be2223e51f465631c27fa4bb359b10ac0da2a", ("cgi-bin/terminal.py",), ()),
        ("Rahul4396/Web-Server", "86aca43da0b5df587c76ebfdfaa5728a02c2fdeb", ("cgi-bin/linux.py",), ()),
        ("deepanshgupta30/Devops_webapp", "27763bda0831cdc66c8e90e9929b115cc36c8b47",
         ("cgi-bin/linux.py",), ()),
    ],
    # tenth batch (2026-12-05, eleventh session, webshell11): Flask, FastAPI
    # and CTF remote-command pages — a CTF series of read/write/exec Flask
    # pages, a CTF page running python with request arguments, FastAPI
    # command routes, Flask command forms, a CherryPy command module (server
    # side only, chosen by path)
    10: [
        ("kalmarunionenctf/kalmarctf", "cce433c3043e2aa22663208e58525f2a19fc715b",
         ("2025/misc/rwx-bronze/app.py", "2025/misc/rwx-silver/app.py",
          "2025/misc/rwx-gold/app.py", "2025/misc/rwx-diamond/app.py"), ()),
        ("yc54616/Dreamhack", "cb93741abfc5cb3cfe186ba07838a8c6fbe1037c", ("web/Pyramid/app.py",), ()),
        ("rcnp-ws/metis_fastapi", "63b0401b1d517a5aee885ecbeb2ff31163af47ef",
         ("routers/RouterSystemCommand.py",), ()),
        ("Mootfrost777/Admin-panel-server-API", "d8738d0c6a1ce7e8e132f182e11d3d85c236b02a",
         ("main.py",), ()),
        ("antonio-bytesgrooves/ComfyUI-HF-Docker", "5763ccd1297534ccf57e19fc791013f131105470",
         ("server.py",), ()),
        ("dportier/Python-commands", "fe19e06130e2c5389506112284d1261e23e95c8b", ("commands.py",), ()),
        ("sachinio/homeautomation", "e770e92549ae37201d9e74d5e3b8e374dbfece22", ("app.py",), ()),
        # a test sentry's CherryPy module running the request body, in its
        # two versions (removed from the tree later; the two commits that hold it)
        ("juju/amulet", "9f76c68524e5d170fc187ce3fe648940cf00ff5e",
         ("charms/sentry/src/modules/run.py",), ()),
        ("juju/amulet", "df0e35ea6f4f67105eab15a4f1ed16f2cd1371f3",
         ("charms/sentry/src/modules/run.py",), ()),
    ],
    # eleventh batch (2026-12-05, twelfth session, webshell12 with the pyscout
    # helper's candidates): Python remote-command pages and APIs, web Python
    # consoles and code runners (exec/eval of the request's code), browser
    # terminals' server side (pty or shell behind a WebSocket/Socket.IO
    # channel), a hidden Flask back door, CTF and lab command pages (server
    # side only, one path each, chosen by what the file is)
    11: [
        ("shantnu/PyEng", "c239fab7202d163ac19d5b6c9c36d42887201910", ("rpi/webapp.py",), ()),
        ("tejakummarikuntla/vulpy", "4429d75adce5948abb0f212c5e4bf3e0f6bf6971", ("bad/mod_csp.py",), ()),
        ("cotsom/ctf-tasks", "3fc0a90de9b8792e1c49e1c8050e1ef38f9a93c9", ("date-rce/app.py",), ()),
        ("foxhackerzdevs/remote-exec-server", "391bf992e0a185130a08f25aadb791cdb05559a0",
         ("server.py",), ()),
        ("timholm/cmd-api", "4990e5cfe5c602dd3c180d424ca41789242072b3", ("server.py",), ()),
        ("xrisk/runner", "0b8b81b7f5e9fa18d07c74be488029ae6e91b774", ("runner.py",), ()),
        ("serenado/debugger", "91aa0b468fb715ba16700e828dd6e22ce7f2fca2", ("server.py",), ()),
        ("paketo-buildpacks/samples", "44f63bbe6895827962d7d6f7466bda2260372e90",
         ("python/pipenv/server.py",), ()),
        ("flet-dev/serious-python", "4d40cebac1a286ff5d483e8c9bbdcab52fb11cc0",
         ("example/flask_example/app/src/main.py",), ()),
        ("camcwhite/ipad-repl", "85483c732108e92f55275835daeab188047095b3",
         ("backend/pythonrepl/views.py",), ()),
        ("loperntu/copens", "b0c2b62865976375da2cb4eb8623f9eaad65a282",
         ("datastory/datastory/views.py",), ()),
        ("skkuse/2022fall_41class_team10", "b83e5997fa500b1f26e6ba80ffe4d5d9868eae9d",
         ("back/apps/code_execute/views.py",), ()),
        ("pnwclw/cyfmazyr", "d870455f757588269043a82abb512d811f759ffb", ("internals/views.py",), ()),
        ("ksoin96/code-runner", "7ba4fa22a714538cecf01da968a6343ac180726d", ("server.py",), ()),
        ("dirkakrid/webte", "1f945a1ed35c6b212b88c9da74559a3b23b64315", ("webte/terminal.py",), ()),
        ("tk1/doatask", "2d37c8b38a25618f3dc092f934f4b8851e11f524",
         ("server/src/plugins/code/code-evaluators/python/Docker/python-code-runner.py",), ()),
        ("marcolindner/security_pipeline", "9945c1c6842c3fa8916ed1f22c15d61853d53b4d", ("main.py",), ()),
        ("QinCai-rui/rpi-web-shell", "0d9bdf414be74bc1e67ae067a11dfee47047096b",
         ("shell_server.py",), ()),
        ("zero-ljz/systools", "58afede49da47c32ff1c6d8f2143f8af0520c2dc", ("web_terminal.py",), ()),
        ("wangjisong000/RemoteShell", "497ec42c3cdb33cce3f2994ad1c2759ba2d57575",
         ("web_terminal.py",), ()),
        ("VersaTEL-GUI/vplx_flask", "35937bbc4faa840bfca1aad21ade1a12ccf917ba", ("vplx/vplx.py",), ()),
        ("Era-Dorta/openpose", "3895f5125a342ce2b120e0189b977249652c0f94",
         ("flask/flask_entrypoint.py",), ()),
        ("p19charr/python-servers-lateral-movement", "27c8ee37fa48080d80df4790f6f4164288d57ab5",
         ("command_server.py", "command_server_html.py"), ()),
        ("seanpattencode/a", "9c20859255ebafb75eac50c5831fe3014a50020d",
         ("feature_tests/webUI/candidates/02_aiohttp_pty_terminal.py",
          "feature_tests/webUI/candidates/03_aiohttp_ws_timing.py",
          "feature_tests/webUI/candidates/10_fastapi_query.py",
          "feature_tests/webUI/candidates/12_flask_form.py",
          "feature_tests/webUI/candidates/13_flask_template.py"), ()),
        ("cs01/pyxtermjs", "048d6b64872bd09b9fad5067afd750ab83a0e447", ("pyxtermjs/app.py",), ()),
        ("locphan201/web-cmd", "117fe2df652bbf3ca9853ef4245bb45843c39f06", ("app.py",), ()),
        # found by webshell12's own searches
        # the last commit whose main.py holds the command route and its runner
        # (later the runner moved to utils.py)
        ("tukiyo/wshell", "7d9fd887d0a45c3858361563406e9417a1d5c92e", ("main.py",), ()),
        ("voicevon/web_gw", "7b5a344b6f75913474890e0e1564853dde283d4f", ("server_gw.py",), ()),
        ("cradlepoint/sdk-samples", "62fcfe6c7d33658141af589d9c1b58e5c1714324",
         ("cp_shell/cp_shell.py",), ()),
        ("jiangyaqiii/system_init", "7ab46454f1df3d2707855aa0b7019d49152b6c43", ("control.py",), ()),
        ("Daniel-B-Lind/kmdshell", "3ccd2ae46f261b3363c210492c4a26a0a45855d7", ("kmdshell.py",), ()),
        # pyscout's later candidates (added to the batch before any measurement)
        ("rodolfomarianocy/Tricks-Web-Penetration-Tester", "d4f06082dd6b81daf18b5fe2067d41246e13ac6d",
         ("codes/webshells/views.py",), ()),
        ("medTrigui/passman-nextgen", "21ab5bb93d75cc11e15217ccb5b709ec724264b7",
         ("backend/app/routers/unsafe.py",), ()),
        ("arunsakthivel96/REC-flask", "5e06b4c953f995c9e5a6a4b0da3c87acd3bf1d84", ("rce.py",), ()),
        ("IyadElwy/apps", "6dcaded69bd0cde727aa7e3fd2f2d2f10bdd6953",
         ("portfolio/vm-container/api/main.py",), ()),
        ("Felan1508/terminal_app", "60fc739ae69b1668f7873e89fc3c653e43588ec9",
         ("core/views.py", "core/consumers.py", "file_manipulator/views.py"), ()),
        ("Antsthebul/djangox", "105b71f5fb1dd970d3dc9c46d4be53c1e4252b8e", ("terminal/consumers.py",), ()),
        ("MrPaulon/OrbitHost", "3dd6c0cc529ffdf44138446ffc102f28328ee6af", ("agent/utils/console.py",), ()),
        ("ivanovladyslav/flask-file-manager", "8da550017163baeacae5b1a97802412adececa48", ("app.py",), ()),
        ("alixedi/pyconuk-2018-k8s", "492fa6311465a52dffb075aaa91da58f9a9a2e5d",
         ("step1/webconsole.py", "step3/webconsole/webconsole.py", "step4/webconsole/webconsole.py"), ()),
        ("riyashdeenr/flask_xtermjs", "51138310bc4b99670550c8d432431c2097d02d2c", ("app.py",), ()),
        ("sadpuppyware/tt1", "9b44b6cb4d5a95119e2b0b4036cf67662dee8900", ("app.py",), ()),
        # the last commit whose app.py runs the request's command, and HEAD's cherminal.py
        ("SanderVocke/cherminal", "6724c09d13093985d113d9e9935c6ab6a41f5106", ("app.py",), ()),
        ("SanderVocke/cherminal", "c9255e44559e351ac1ba7d9605cee30b24222727",
         ("cherminal/cherminal.py",), ()),
        ("darvik-ai/web-terminal", "b7a91f1b34724c4d36434379c5c8d23cb52467ef", ("app/main.py",), ()),
        ("QuesmaOrg/red-team-testbed-for-gpt-oss", "ab1433a21378844df45e187389c33db8ca78626d",
         ("doc/finding_1/server.py",), ()),
        # two early versions holding the exec of the request body (later removed)
        ("roipoussiere/cadquery-server", "51be97fe8cc115175963dba3905c8894d4bd5f3e",
         ("cadquery-server/cadquery_server/server.py",), ()),
        ("roipoussiere/cadquery-server", "8c49f1ff2be6d7d77fb02680b91a3bedd96df97e",
         ("cadquery-server/src/server.py",), ()),
        ("maodisa/pwnServer", "d759cb63088323f25640dfc9148ff8564d5bdd92",
         ("app/admin/blueprints/terminal/routes.py",), ()),
        ("artur-ver/remote_server_control", "1082031f701dc732cd4cad18e11d3cfb0f97f3e9",
         ("routes/terminal.py",), ()),
        ("giangibbar/rpi-panel", "033310b773220baf187fdd1c743a2b8a2f26351d", ("routes/terminal.py",), ()),
        ("Shival-Gupta/jetbot-dashboard", "2b5f91f36c5503b8fd431e2cd0d93cff3e5f5ed3",
         ("routes/terminal.py",), ()),
        # pyscout's third group (added before any measurement)
        ("Liveiciee/Yuyutermux", "1d83c0453167e6fe9d3e1ab94e38af110c5de783", ("routes/terminal.py",), ()),
        ("Coding-Krakken/GPT-API", "14ff784ba984186266ff31bd03ed89db68713270", ("routes/shell.py",), ()),
        ("jxherc/alles", "51c6c0e58527d11aeb6dcc006c0a4ee616c36ae7", ("routes/shell.py",), ()),
        ("YUALAB/mac-remote", "e8406ae3b9bb1107a8c708c7c284c5a574568357", ("api/terminal.py",), ()),
        ("rhhayward/django_webshell", "8f06645ca806d63ca2c7c9002ac7d7446529439f",
         ("webshell/views.py",), ()),
        ("weijia/django-webshell", "dbe74985235e74d7025e2aec3bfa829728e03615", ("webshell/views.py",), ()),
        ("twz915/zqxt", "73c2f3935187567c06b165435c4260719d21d51a", ("webshell/views.py",), ()),
        ("sreechandan5956/Cy", "c456ac6bb76a5884a2a822632a0fd69188f9337c",
         ("Challenges/WEB/Python_Compiler/app.py",), ()),
        ("DatadudeDev/sd-api", "06b823e20df3b16eccf08f9072377276de9b8fa7", ("apiListen.py",), ()),
        ("larrysharette/python-code-runner", "5db3d455ec09f70850656442b98b40414f117042", ("app.py",), ()),
        ("sympy/sympy-live", "d967608ed5375157320af54b4f1be076c541b6ce", ("shell/views.py",), ()),
        ("norisjunior/FIAPCyberAlunos", "e667bd182a5e13103c741c142840b7de3e1cc5f3",
         ("backdoor/app.py",), ()),
        ("Alfiasnyah78/CTF_Al3X_00", "871e5546f60859a4eeaae6451b6122207d28de5a", ("terminal/app.py",), ()),
        # webshell12's later searches (added before any measurement)
        ("giangibbar/rpi-panel", "ff3b836837e35ec663a2d27aa4a1b4895bfc1621", ("routes/exec.py",), ()),
        ("rajeshRoul/ubuntu-system-control", "5657bf58ab411392cd6b5f5f5e1358692d91132a",
         ("routes/exec.py",), ()),
        ("Kinjal2809/VSCode-Test", "c92bf9a2ef4f5aed4c0f300dd70a50abb547fd46", ("routers/exec.py",), ()),
        ("souwaka/Remote_Linux_View", "d8d93705c0e01934a6578ab44b9999b090f5feaf",
         ("backend/terminal.py",), ()),
        ("djk2/django-admin-shell", "89bd0e432bf1764e614519113738f34f5af43e93",
         ("django_admin_shell/views.py",), ()),
        ("adinhodovic/django-admin-shellx", "224df86bfa9c1bff57490c2acbf7f6b91c9f1477",
         ("django_admin_shellx/consumers.py",), ()),
        ("navarrow-um/shell_api", "d8bc609278286d9b434d20598984568dd7b9d54e", ("shell_api.py",), ()),
    ],
}


def git(gitdir, *args, data=None):
    return subprocess.run(["git", "--git-dir", gitdir, *args], input=data,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          check=False)


def gitdir_of(mirrors, repo):
    base = os.path.join(mirrors, repo.replace("/", "+"))
    for cand in (os.path.join(base, "repo", ".git"), os.path.join(base, "repo"), base):
        if os.path.isdir(cand) and os.path.exists(os.path.join(cand, "HEAD")):
            return cand
    return None


def wanted(path, include, exclude):
    if include and not any(path == p or (p.endswith(("/", ".")) and path.startswith(p))
                           for p in include):
        return False
    if any(path == p or (p.endswith("/") and path.startswith(p)) for p in exclude):
        return False
    return "node_modules" not in path.split("/")[:-1]


def blobs(gitdir, commit, include, exclude):
    """(path, lang, blob id, size) of the wanted regular files at commit."""
    r = git(gitdir, "ls-tree", "-r", "-l", "-z", "--full-tree", commit)
    if r.returncode:
        return None
    out = []
    for ent in r.stdout.split(b"\0"):
        if not ent:
            continue
        meta, path = ent.split(b"\t", 1)
        mode, kind, oid, size = meta.split()
        if kind != b"blob" or mode not in (b"100644", b"100755"):
            continue
        path = path.decode("utf-8", "surrogateescape")
        ext = path.rsplit("/", 1)[-1].rsplit(".", 1)
        if len(ext) < 2 or ext[1].lower() not in LANG:
            continue
        if not wanted(path, include, exclude):
            continue
        out.append((path, LANG[ext[1].lower()], oid.decode(), int(size)))
    out.sort()
    return out


def read_blobs(gitdir, oids):
    """Contents of the blobs (None for one absent from the snapshot)."""
    if not oids:
        return []
    r = git(gitdir, "cat-file", "--batch", data="".join(o + "\n" for o in oids).encode())
    buf, pos, res = r.stdout, 0, []
    for _ in oids:
        eol = buf.index(b"\n", pos)
        head = buf[pos:eol].split()
        pos = eol + 1
        if len(head) < 3 or head[1] != b"blob":
            res.append(None)
            continue
        n = int(head[2])
        res.append(buf[pos:pos + n])
        pos += n + 1
    return res


def part_of(digest):
    return "heldout" if int.from_bytes(digest[:4], "big") % 3 == 0 else "tune"


def safe_name(path):
    base = path.rsplit("/", 1)[-1]
    keep = "".join(c if (c.isalnum() and c.isascii()) or c in "._-" else "_" for c in base)
    return keep.lstrip(".")[-80:] or "file"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("mirrors")
    ap.add_argument("out")
    ap.add_argument("--batches", default=",".join(str(b) for b in sorted(BATCHES)))
    ap.add_argument("--tune-log", help="per-repository counts of the tuning part")
    ap.add_argument("--add", action="store_true",
                    help="add the batches to an existing corpus in OUT (its files count as seen)")
    a = ap.parse_args()
    here = os.path.dirname(os.path.realpath(__file__))
    repo_root = os.path.dirname(here)
    out = os.path.realpath(a.out)
    if out == repo_root or out.startswith(repo_root + os.sep):
        sys.exit("OUT must be outside the repository")
    seen = set()
    for part in ("heldout", "tune"):
        d = os.path.join(out, part)
        if os.path.isdir(d) and not a.add:
            sys.exit(f"{d} exists: build into an empty directory (or --add)")
        for root, _, names in os.walk(d):
            for n in names:
                with open(os.path.join(root, n), "rb") as f:
                    seen.add(hashlib.sha256(f.read()).digest())
    total = {}
    failed = 0
    tlog = open(a.tune_log, "w") if a.tune_log else None
    for b in [int(x) for x in a.batches.split(",")]:
        added = {}
        for repo, commit, include, exclude in BATCHES[b]:
            gd = gitdir_of(a.mirrors, repo)
            if gd is None:
                print(f"batch {b}: {repo}: no mirror", file=sys.stderr)
                failed = 1
                continue
            files = blobs(gd, commit, include, exclude)
            if files is None:
                print(f"batch {b}: {repo}: commit {commit} not in the mirror", file=sys.stderr)
                failed = 1
                continue
            absent = 0
            rtune = {}
            files = [f for f in files if f[3] >= MIN_SIZE]
            contents = read_blobs(gd, [f[2] for f in files])
            for (path, lang, oid, size), data in zip(files, contents):
                if data is None:
                    absent += 1
                    continue
                dg = hashlib.sha256(data).digest()
                if dg in seen:
                    continue
                seen.add(dg)
                part = part_of(dg)
                d = os.path.join(out, part, lang)
                os.makedirs(d, exist_ok=True)
                name = dg.hex()[:12] + "_" + safe_name(path)
                with open(os.path.join(d, name), "wb") as f:
                    f.write(data)
                added[(part, lang)] = added.get((part, lang), 0) + 1
                total[(part, lang)] = total.get((part, lang), 0) + 1
                if part == "tune":
                    rtune[lang] = rtune.get(lang, 0) + 1
            if absent:
                print(f"batch {b}: {repo}: {absent} listed files absent from the snapshot",
                      file=sys.stderr)
            if tlog:
                tlog.write(f"batch {b} {repo} tune " +
                           " ".join(f"{k} {v}" for k, v in sorted(rtune.items())) + "\n")
        print(f"batch {b} added: " + report(added))
    print("total: " + report(total))
    if tlog:
        tlog.close()
    return failed


def report(counts):
    s = []
    for part in ("heldout", "tune"):
        s.append(part + " " + " ".join(f"{lang} {counts[(p, lang)]}"
                                       for (p, lang) in sorted(counts) if p == part))
    return "; ".join(s)


if __name__ == "__main__":
    sys.exit(main())
