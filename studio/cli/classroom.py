"""``studio labs``, ``studio lab`` and ``studio pack``: the classroom labs and the teacher's assignment packs."""

from __future__ import annotations

import sys
from pathlib import Path

from studio.cli.common import EXIT_INVALID, EXIT_OK, EXIT_UNREADABLE, add_command


def cmd_labs(args) -> int:
    """List the ten labs and whether each is started."""
    from studio.classroom.labs import labs_home, list_labs, work_folder

    for lab in list_labs():
        started = " (started)" if work_folder(lab).exists() else ""
        print(f"{lab.number:>2}  {lab.id:<22} {lab.text('title', args.lang)}{started}")
    print(f"Students' copies: {labs_home()}  (set STUDIO_LABS_HOME to change)")
    return EXIT_OK


def cmd_lab(args) -> int:
    """start: copy the lab into your labs folder (kept if it exists). lesson: print the lesson. check: run the lab's
    check on your copy; exits 0 when it passes, 1 with a hint for each failed item.
    """
    from studio.classroom.lab_checks import check_lab
    from studio.classroom.labs import find_lab, load_lab, project_file, start_lab, work_folder

    if args.lab == "-":  # an assignment (or any lab folder): the lab.json in --folder
        if not args.folder or args.action != "check":
            print("studio lab: '-' means the lab in --folder, for check", file=sys.stderr)
            return EXIT_INVALID
        lab = load_lab(args.folder)
    else:
        lab = find_lab(args.lab)
    if args.action == "start":
        folder = start_lab(lab, restart=args.restart)
        project = project_file(lab, folder)
        print(f"lab {lab.number}: {lab.text('title', args.lang)}")
        print(f"folder: {folder}" + (f"\nproject: {project}" if project else ""))
        return EXIT_OK
    if args.action == "lesson":
        print(lab.lesson(args.lang))
        return EXIT_OK
    folder = Path(args.folder) if args.folder else work_folder(lab)
    if not folder.is_dir():
        print(f"studio lab: lab {lab.number} is not started yet ({folder} does not exist); run "
              f"'studio lab start {lab.number}' first", file=sys.stderr)
        return EXIT_UNREADABLE
    result = check_lab(lab, folder)
    print(result.report(args.lang))
    verdict = ("통과" if result.passed else "아직 통과하지 못했습니다") if args.lang == "ko" else (
        "passed" if result.passed else "not passed yet")
    print(f"lab {lab.number}: {verdict}")
    return EXIT_OK if result.passed else EXIT_INVALID


def cmd_pack(args) -> int:
    """create: pack a saved project (a lab copy brings its lessons and check) with its data, seed, locked settings and
    check into one file. open: unpack an assignment into your labs folder and print where.
    """
    from studio.classroom.pack_open import open_pack
    from studio.classroom.packs import DEFAULT_LOCKS, create_pack

    if args.action == "create":
        if not args.out:
            print("studio pack: create needs -o FILE.studio-pack", file=sys.stderr)
            return EXIT_INVALID
        instructions = {"en": args.instructions} if args.instructions else None
        path = create_pack(args.file, args.out, args.title, instructions, args.lock or DEFAULT_LOCKS,
                           args.require or ())
        print(f"wrote {path}")
    else:
        folder = open_pack(args.file, restart=args.restart, told=print,
                           restart_hint="; `--restart` starts it afresh (your work there is moved aside)")
        print(f"folder: {folder}")
        print(f"check it with: studio lab check - --folder {folder}")
    return EXIT_OK


def _labs_parser(commands) -> None:
    labs = add_command(commands, "labs", cmd_labs, "list the classroom labs")
    labs.add_argument("--lang", choices=("en", "ko"), default="en")


def _lab_parser(commands) -> None:
    lab = add_command(commands, "lab", cmd_lab, "start a lab, show its lesson, or check the work")
    lab.add_argument("action", choices=("start", "lesson", "check"))
    lab.add_argument("lab", metavar="N", help="the lab's number or folder name; '-' with --folder for an assignment")
    lab.add_argument("--lang", choices=("en", "ko"), default="en")
    lab.add_argument("--restart", action="store_true", help="start: keep the old copy aside and start afresh")
    lab.add_argument("--folder", metavar="DIR", help="check: the lab folder (default: your copy)")


def _pack_parser(commands) -> None:
    pack = add_command(commands, "pack", cmd_pack, "make or open an assignment pack")
    pack.add_argument("action", choices=("create", "open"))
    pack.add_argument("file", metavar="PROJECT.studio.json|FILE.studio-pack")
    pack.add_argument("-o", "--out", metavar="FILE.studio-pack", help="create: the pack to write")
    pack.add_argument("--title", help="create: the assignment's title")
    pack.add_argument("--instructions", help="create: what the student should do")
    pack.add_argument("--lock", action="append", metavar="SETTING",
                      help="create: a setting students may not change, e.g. data or training.batch_size "
                           "(default: data and training.seed; repeat for several)")
    pack.add_argument("--require", action="append", metavar="SPLIT.METRIC>=VALUE",
                      help="create: a result the check requires, e.g. test.accuracy>=0.9")
    pack.add_argument("--restart", action="store_true", help="open: keep the old copy aside and start afresh")


#: How each command's parser is added, by name (``studio.cli.build_parser`` adds them in its order).
PARSERS = {"labs": _labs_parser, "lab": _lab_parser, "pack": _pack_parser}
