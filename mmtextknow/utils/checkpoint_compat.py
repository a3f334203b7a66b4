"""Safe checkpoint loading for mmengine 0.10.7 on torch >= 2.6.

torch >= 2.6 loads checkpoints with ``weights_only=True`` by default, and
mmengine 0.10.7 calls ``torch.load`` without that argument. The checkpoints
mmengine writes then fail to load (``tools/test.py CFG CKPT``, ``--resume``
and ``load_from``) because they pickle a few non-tensor objects: the message
hub's :class:`~mmengine.logging.HistoryBuffer`, numpy arrays/scalars and, to
restore ``HistoryBuffer``'s statistics methods, ``builtins.getattr``.

Instead of disabling safe loading, :func:`allow_mmengine_checkpoints`
allow-lists exactly these types. ``getattr`` is not allow-listed as such
(``getattr`` chains reach any attribute, hence any callable): the name
``builtins.getattr`` is bound to :func:`history_buffer_getattr`, which only
resolves HistoryBuffer's registered statistics methods and rejects anything
else.
"""
import pickle
from typing import Any, Callable, List, Tuple, Union

import numpy as np
import torch
from mmengine.logging import HistoryBuffer

SafeGlobal = Union[Callable, Tuple[Callable, str]]

#: HistoryBuffer's built-in statistics methods. ``_statistics_methods`` is
#: filled only once a HistoryBuffer has been created, so they are named here.
DEFAULT_STATISTICS = ('min', 'max', 'current', 'mean')


def history_buffer_getattr(obj: Any, name: str) -> Any:
    """A ``getattr`` restricted to HistoryBuffer's statistics methods.

    Args:
        obj: The object whose attribute is looked up; must be
            :class:`HistoryBuffer`.
        name: The attribute name; must be one of the statistics methods
            registered on HistoryBuffer (``min``, ``max``, ``current``,
            ``mean`` and any registered with ``register_statistics``).

    Returns:
        The requested statistics method.

    Raises:
        pickle.UnpicklingError: For any other object or attribute.
    """
    if obj is HistoryBuffer and isinstance(name, str):
        if name in DEFAULT_STATISTICS:
            return getattr(HistoryBuffer, name)
        if name in HistoryBuffer._statistics_methods:
            return HistoryBuffer._statistics_methods[name]
    allowed = sorted(
        set(DEFAULT_STATISTICS) | set(HistoryBuffer._statistics_methods))
    raise pickle.UnpicklingError(
        f'Refusing getattr({obj!r}, {name!r}) while loading a checkpoint: '
        f'only HistoryBuffer statistics methods {allowed} may be looked up.')


def _numpy_safe_globals() -> List[SafeGlobal]:
    """Numpy objects that mmengine checkpoints contain (arrays, scalars)."""
    # numpy 1.x pickles through numpy.core.multiarray, numpy 2.x through
    # numpy._core.multiarray; register the functions under both names.
    from numpy.core import multiarray
    # An empty array (a HistoryBuffer never updated) pickles its empty
    # data buffer through ``builtins.bytes``: a plain bytes constructor.
    safe: List[SafeGlobal] = [np.ndarray, np.dtype, bytes]
    for module in ('numpy.core.multiarray', 'numpy._core.multiarray'):
        safe.append((multiarray._reconstruct, f'{module}._reconstruct'))
        safe.append((multiarray.scalar, f'{module}.scalar'))
    # Concrete dtype classes (numpy >= 1.25 exposes them in numpy.dtypes).
    dtypes = getattr(np, 'dtypes', None)
    if dtypes is not None:
        for name in dir(dtypes):
            obj = getattr(dtypes, name)
            if isinstance(obj, type) and issubclass(obj, np.dtype):
                safe.append((obj, f'numpy.dtypes.{name}'))
    return safe


def mmengine_safe_globals() -> List[SafeGlobal]:
    """The globals that checkpoints written by mmengine's Runner reference.

    Returns:
        A list for :func:`torch.serialization.add_safe_globals`.
    """
    return [HistoryBuffer, (history_buffer_getattr, 'builtins.getattr')
            ] + _numpy_safe_globals()


def allow_mmengine_checkpoints() -> bool:
    """Allow-list mmengine checkpoint contents for ``weights_only`` loading.

    Idempotent; a no-op on torch versions without
    ``torch.serialization.add_safe_globals`` (< 2.4), where ``torch.load``
    does not default to ``weights_only=True`` anyway.

    Returns:
        bool: Whether anything was registered.
    """
    add_safe_globals = getattr(torch.serialization, 'add_safe_globals', None)
    if add_safe_globals is None:
        return False
    add_safe_globals(mmengine_safe_globals())
    return True
