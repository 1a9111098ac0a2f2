"""Saxon processors that behave the same whatever the user's locale.

saxonche runs Saxon as a native image of Java, whose default locale is read from the
environment (``LC_ALL``, ``LC_MESSAGES``, ``LANG``) once per process, when the first
processor is made. Saxon reads some attribute values of a stylesheet through that
locale: under a Turkish or Azerbaijani one, where ``i`` upper-cases to ``İ``, it
rejects ``visibility="public"`` (XTSE0020), and ``xslt/text.xsl`` did not compile, so
``edition make`` failed for an editor whose ``LANG`` is ``az_AZ.UTF-8``. Every
processor of the edition is therefore made here, with the locale neutral while it is
made and the environment as it was afterwards.
"""

from __future__ import annotations

import os
import threading

from saxonche import PySaxonProcessor

# UTF-8 rather than plain C: making the first processor also sets the C library's
# locale of this process from the environment, and Python code that opens a text file
# without naming an encoding would then read ASCII.
NEUTRAL_LOCALE = "C.UTF-8"

# os.environ is the process's: two threads making processors at once must not
# restore each other's override.
_LOCK = threading.Lock()


def processor() -> PySaxonProcessor:
    """A new ``PySaxonProcessor`` (no licence features), made under :data:`NEUTRAL_LOCALE`."""
    with _LOCK:
        saved = os.environ.get("LC_ALL")
        os.environ["LC_ALL"] = NEUTRAL_LOCALE
        try:
            return PySaxonProcessor(license=False)
        finally:
            if saved is None:
                del os.environ["LC_ALL"]
            else:
                os.environ["LC_ALL"] = saved
