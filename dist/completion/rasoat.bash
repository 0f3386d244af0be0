# bash completion for rasoat. The commands come from `rasoat --help` and each
# command's options from `rasoat COMMAND --help`, so a new command or option
# completes as soon as the binary lists it (src/main.c holds the one list).
# The help is read in English (--lang en) whatever the user's language; the
# global `--lang vi|en` before the command is skipped.

_rasoat_commands()
{
	"$1" --lang en --help 2>/dev/null | sed -n '/^commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p'
}

_rasoat_options()
{
	"$1" --lang en "$2" --help 2>&1 | grep -o -- '--[a-z][a-z0-9-]*' | sort -u
}

_rasoat()
{
	local cur prev words cword
	if declare -F _init_completion >/dev/null; then
		_init_completion || return
	else
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	fi
	local prog=${words[0]} at=1
	# the global --lang vi|en (or --lang=vi) comes before the command
	if [[ ${words[1]} == --lang ]]; then
		at=3
	elif [[ ${words[1]} == --lang=* ]]; then
		at=2
	fi
	if [[ $prev == --lang ]]; then
		mapfile -t COMPREPLY < <(compgen -W "vi en" -- "$cur")
		return
	fi
	if [[ $cword -eq $at ]]; then
		local extra="--help --version"
		[[ $at -eq 1 ]] && extra+=" --lang"
		mapfile -t COMPREPLY < <(compgen -W "$(_rasoat_commands "$prog") $extra" -- "$cur")
		return
	fi
	if [[ $cword -eq $((at + 1)) && ${words[at]} == device ]]; then
		mapfile -t COMPREPLY < <(compgen -W "audit" -- "$cur")
		return
	fi
	case $prev in
	--format)
		mapfile -t COMPREPLY < <(compgen -W "text jsonl json html md eml stix misp thehive" -- "$cur")
		return ;;
	--fail-on)
		mapfile -t COMPREPLY < <(compgen -W "info low medium high critical none" -- "$cur")
		return ;;
	--only | --skip)
		mapfile -t COMPREPLY < <(compgen -W "audit rootkit persist integrity hunt vuln device" -- "$cur")
		return ;;
	--type)
		mapfile -t COMPREPLY < <(compgen -W "auto cisco-ios cisco-asa cisco-nxos junos fortios routeros" -- "$cur")
		return ;;
	--root | --rules | --proc | --state | --policies | --devices | --apps)
		mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		return ;;
	esac
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_rasoat_options "$prog" "${words[at]}")" -- "$cur")
		return
	fi
	mapfile -t COMPREPLY < <(compgen -f -- "$cur")
}
complete -F _rasoat rasoat
