#!/usr/bin/python3
"""The manual page names every command, subcommand and option `sluice --help` lists, and no
option that --help does not know.

usage: check_manpage.py SLUICE MANPAGE
"""
import re
import subprocess
import sys


def help_words(sluice):
    text = subprocess.run([sluice, "--help"], capture_output=True, text=True, check=True,
                          env={"LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"}).stdout
    options = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*|-[a-z])(?![\w-])", text))
    commands = set()
    section = None
    for line in text.splitlines():
        if line.endswith(":") and not line.startswith(" "):
            section = line[:-1]
            continue
        if section == "Commands":
            first = re.match(r"^  ([a-z][a-z-]*)\s", line)
            if first:
                commands.add(first.group(1))
            usage = re.match(r"^      ([a-z][a-z-]*) (.*)", line)
            if usage:
                # "flows [check [FILE ...] | new NAME ...]", "schedule next|list|set ...":
                # the lower-case words after the command are its subcommands.
                for word in re.findall(r"(?<![\w-])([a-z][a-z-]+)(?![\w-])", usage.group(2)):
                    commands.add(usage.group(1) + " " + word)
    return options, commands


def manual_text(path):
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"\\f[BIRP]", "", text)  # font changes
    text = text.replace("\\-", "-").replace("\\e", "\\")
    lines = [line for line in text.splitlines() if not line.startswith('.\\"')]
    return "\n".join(re.sub(r"^\.[A-Z]+ ?", "", line) for line in lines)


def main():
    sluice, manpage = sys.argv[1:3]
    options, commands = help_words(sluice)
    manual = manual_text(manpage)
    problems = []
    for option in sorted(options):
        if not re.search(r"(?<![\w-])" + re.escape(option) + r"(?![\w-])", manual):
            problems.append("option %s is in --help but not in the manual" % option)
    ours = "\n".join(line for line in manual.splitlines() if "systemctl" not in line)
    for option in sorted(set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)(?![\w-])", ours))):
        if option not in options:
            problems.append("option %s is in the manual but not in --help" % option)
    for command in sorted(commands):
        words = command.split(" ")
        pattern = r"\s+".join(re.escape(w) for w in words)
        # A subcommand may follow its command with other subcommands between (pause | resume).
        if len(words) == 2:
            pattern = re.escape(words[0]) + r"\b[^\n]*?(?<![\w-])" + re.escape(words[1]) + r"(?![\w-])"
        if not re.search(r"(?<![\w-])" + pattern, manual):
            problems.append("command \"%s\" is in --help but not in the manual" % command)
    if len(commands) < 10 or len(options) < 20:
        problems.append("--help lists only %d commands and %d options: was it read?"
                        % (len(commands), len(options)))
    for problem in problems:
        print(problem)
    print("%d options and %d commands checked" % (len(options), len(commands)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
