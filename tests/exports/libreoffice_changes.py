"""Open an ODT in LibreOffice, count its tracked changes, accept (or reject) them all, save as
text. Run by Debian's python3 (which has LibreOffice's `uno`), not the project's:

    python3 libreoffice_changes.py SOURCE.odt TARGET.txt accept|reject PORT
"""

import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


source, target, action, port = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
profile = uno.systemPathToFileUrl(target + ".profile")
office = subprocess.Popen(
    [
        "soffice",
        "--headless",
        "--invisible",
        "--norestore",
        f"-env:UserInstallation={profile}",
        f"--accept=socket,host=127.0.0.1,port={port};urp;",
    ],
    stdout=subprocess.DEVNULL,
    stderr=subprocess.DEVNULL,
)
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    for _ in range(120):  # LibreOffice takes a few seconds to listen; bounded at a minute
        try:
            context = resolver.resolve(
                f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext"
            )
            break
        except Exception:
            time.sleep(0.5)
    desktop = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.frame.Desktop", context
    )
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True),)
    )
    redlines = document.Redlines.createEnumeration()
    count = 0
    while redlines.hasMoreElements():
        redlines.nextElement()
        count += 1
    print("tracked changes seen by LibreOffice:", count)
    dispatcher = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.frame.DispatchHelper", context
    )
    command = (
        ".uno:AcceptAllTrackedChanges" if action == "accept" else ".uno:RejectAllTrackedChanges"
    )
    dispatcher.executeDispatch(document.CurrentController.Frame, command, "", 0, ())
    document.storeToURL(
        uno.systemPathToFileUrl(target),
        (prop("FilterName", "Text (encoded)"), prop("FilterOptions", "UTF8")),
    )
    document.close(True)
finally:
    office.terminate()
    office.wait(timeout=30)
