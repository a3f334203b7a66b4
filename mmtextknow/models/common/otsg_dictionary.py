"""The dictionary of STKM's ordered text sequences (OTSG, Algorithm 1)."""
from typing import Dict, List, Optional, Sequence, Tuple

from mmocr.registry import TASK_UTILS

#: The 94 printable ASCII characters, chr(33) .. chr(126), code-point order.
OTSG_CHARS = ''.join(chr(code) for code in range(33, 127))
#: What :meth:`OTSGDictionary.decode` writes for the UNK class.
UNK_CHAR = '\ufffd'


@TASK_UTILS.register_module()
class OTSGDictionary:
    """Encode the words of an image as one fixed-length ordered sequence.

    Classes: 0 = POS (padding), 1 = SOS, 2 = WOS (word separator),
    3 = EOS, 4..97 = the 94 printable ASCII characters ``chr(33)`` ..
    ``chr(126)`` in code-point order, and with ``unknown='unk'`` one more
    class 98 = UNK (99 classes; 98 with ``unknown='drop'``).

    Encoding rules (:meth:`encode`):

    1. Characters outside the dictionary (space included) become UNK
       (``unknown='unk'``, counted in ``unknown_chars``) or are removed
       (``unknown='drop'``, counted in ``dropped_chars``). A word left
       empty by dropping (or given empty) is removed.
    2. The words are sorted in code-point order (Python's ``str`` order,
       case-sensitive: ``'A' < 'a'``), compared as they are after step 1
       but with their original characters (an UNK character sorts by its
       own code point).
    3. Tokens: SOS, each word's characters followed by WOS, EOS, then POS
       up to ``max_len``.
    4. Truncation: when the content (characters and WOS) exceeds
       ``max_len - 2``, its first ``max_len - 2`` tokens are kept and EOS
       follows them, so EOS is always the last non-POS token. A word cut
       in the middle is kept partially (with no WOS after it); a word
       whose WOS alone is cut is kept whole. ``truncated`` is True when
       any token was cut, ``truncated_chars`` counts the character tokens
       cut (WOS not counted) and ``truncated_words`` the words lost
       entirely.

    The stats' ``words`` always equal ``decode(indexes)``: the encoded
    words, after dropping and truncation, with UNK characters written as
    ``'\\ufffd'``.

    Args:
        max_len (int): The fixed sequence length L, SOS and EOS included.
            At least 2. Defaults to 400.
        unknown (str): ``'unk'`` to map out-of-dictionary characters to
            the UNK class, ``'drop'`` to remove them. Defaults to ``'unk'``.
    """

    def __init__(self, max_len: int = 400, unknown: str = 'unk') -> None:
        if unknown not in ('unk', 'drop'):
            raise ValueError(f"unknown must be 'unk' or 'drop', got "
                             f'{unknown!r}')
        if max_len < 2:
            raise ValueError(f'max_len must be >= 2 (SOS and EOS), got '
                             f'{max_len}')
        self.max_len = max_len
        self.unknown = unknown
        self.pad_idx = 0
        self.sos_idx = 1
        self.wos_idx = 2
        self.eos_idx = 3
        self.char_offset = 4
        self.unk_idx: Optional[int] = (
            self.char_offset + len(OTSG_CHARS) if unknown == 'unk' else None)
        self.num_classes = self.char_offset + len(OTSG_CHARS) + (
            1 if unknown == 'unk' else 0)
        self._char2idx = {
            char: self.char_offset + i
            for i, char in enumerate(OTSG_CHARS)
        }

    @property
    def dict(self) -> List[str]:
        """list[str]: The characters of classes 4..97, in class order."""
        return list(OTSG_CHARS)

    def char2idx(self, char: str) -> Optional[int]:
        """The class of a character: its dictionary class, else UNK (or
        None with ``unknown='drop'``)."""
        return self._char2idx.get(char, self.unk_idx)

    def idx2char(self, index: int) -> str:
        """The character of a character class (UNK gives ``'\\ufffd'``).

        Args:
            index (int): A class in ``[4, num_classes)``.

        Returns:
            str: The character.
        """
        if self.unk_idx is not None and index == self.unk_idx:
            return UNK_CHAR
        if not self.char_offset <= index < self.char_offset + len(OTSG_CHARS):
            raise ValueError(f'{index} is not a character class')
        return OTSG_CHARS[index - self.char_offset]

    def _clean(self, word: str, stats: Dict) -> str:
        """Remove (drop mode) and count the out-of-dictionary characters."""
        unknown = sum(1 for char in word if char not in self._char2idx)
        if self.unknown == 'drop':
            stats['dropped_chars'] += unknown
            return ''.join(char for char in word if char in self._char2idx)
        stats['unknown_chars'] += unknown
        return word

    def encode(self, words: Sequence[str]) -> Tuple[List[int], Dict]:
        """Encode the words of one image (see the class docstring).

        Args:
            words (Sequence[str]): The image's readable words, in any order.

        Returns:
            tuple(list[int], dict): The ``max_len`` indexes, and the stats
            ``truncated`` (bool), ``unknown_chars`` (int, characters mapped
            to UNK, counted before truncation), ``dropped_chars`` (int,
            characters removed by ``unknown='drop'``), ``truncated_chars``
            (int, character tokens cut by truncation), ``truncated_words``
            (int, words cut entirely) and ``words`` (list[str], the words
            actually encoded, sorted, equal to ``decode(indexes)``).
        """
        stats = dict(
            truncated=False,
            unknown_chars=0,
            dropped_chars=0,
            truncated_chars=0,
            truncated_words=0,
            words=[])
        cleaned = [self._clean(word, stats) for word in words]
        cleaned = sorted(word for word in cleaned if word)

        budget = self.max_len - 2
        content: List[int] = []
        for i, word in enumerate(cleaned):
            room = budget - len(content)
            if room <= 0:
                stats['truncated_chars'] += sum(map(len, cleaned[i:]))
                stats['truncated_words'] += len(cleaned) - i
                stats['truncated'] = True
                break
            kept = word[:room]
            content.extend(self.char2idx(char) for char in kept)
            stats['words'].append(''.join(
                char if char in self._char2idx else UNK_CHAR
                for char in kept))
            if len(kept) < len(word):
                stats['truncated_chars'] += len(word) - len(kept)
                stats['truncated_chars'] += sum(map(len, cleaned[i + 1:]))
                stats['truncated_words'] += len(cleaned) - i - 1
                stats['truncated'] = True
                break
            if len(content) < budget:
                content.append(self.wos_idx)
            else:  # the word fits but its WOS does not
                stats['truncated'] = True
                stats['truncated_chars'] += sum(map(len, cleaned[i + 1:]))
                stats['truncated_words'] += len(cleaned) - i - 1
                break
        indexes = [self.sos_idx] + content + [self.eos_idx]
        indexes += [self.pad_idx] * (self.max_len - len(indexes))
        return indexes, stats

    def decode(self, indexes: Sequence[int]) -> List[str]:
        """The words of a (predicted) sequence.

        A leading SOS is skipped, reading stops at the first EOS (or at the
        end), WOS splits words, POS and any later SOS are skipped, UNK
        becomes ``'\\ufffd'`` and empty words are dropped.

        Args:
            indexes (Sequence[int]): Class indexes (a list, a 1-D array or
                tensor).

        Returns:
            list[str]: The words, in sequence order.
        """
        if hasattr(indexes, 'tolist'):
            indexes = indexes.tolist()
        words: List[str] = []
        current: List[str] = []
        for index in (int(i) for i in indexes):
            if index == self.eos_idx:
                break
            if index == self.wos_idx:
                if current:
                    words.append(''.join(current))
                current = []
            elif index in (self.pad_idx, self.sos_idx):
                continue
            else:
                current.append(self.idx2char(index))
        if current:
            words.append(''.join(current))
        return words

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(max_len={self.max_len}, '
                f"unknown='{self.unknown}')")
