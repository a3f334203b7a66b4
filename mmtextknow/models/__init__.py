"""Models of mmtextknow, registered into MMOCR's ``MODELS`` on import."""
from . import textseg  # noqa: F401
from .textseg import *  # noqa: F401,F403
from . import textrecog  # noqa: F401
from .textrecog import *  # noqa: F401,F403
from . import common  # noqa: F401
from . import pretrain  # noqa: F401
from . import textdet  # noqa: F401
from . import textspot  # noqa: F401
