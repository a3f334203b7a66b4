"""Learning test (MGNet Table IV(b): a text mask beats a random mask): on
freshly generated word crops, the tiny CRNN fed with the ground-truth pixel
mask reads held-out crops clearly better than the same CRNN, same data,
same seed, fed with a random mask (RM).

The ground-truth mask stands in for the predicted one (PM): training a
segmenter as well does not fit the time budget of a learning test. The
README's figures add the toy FCN's predicted mask
(``tools/compare_mask_sources.py --seg-checkpoint``).
"""
import pytest

from mask_guided_helpers import load_compare_tool

WORD_ACC, CHAR_RECALL = 'toy/recog/word_acc_ignore_case', \
    'toy/recog/char_recall'


@pytest.mark.learning
def test_gt_mask_beats_random_mask(tmp_path):
    tool = load_compare_tool()
    data = tmp_path / 'data'
    counts = tool.prepare_data(data, num_train=200, num_test=40,
                               img_size=256, seed=7)
    results = {
        variant: tool.train_and_test(
            str(tool.CONFIG_DIR / tool.VARIANTS[variant]), data,
            tmp_path / variant, epochs=6)
        for variant in ('rm', 'gt')
    }
    print(tool.markdown_table(results, counts))
    rm, gt = results['rm'], results['gt']
    assert gt[WORD_ACC] >= rm[WORD_ACC] + 0.05, results
    assert gt[CHAR_RECALL] >= rm[CHAR_RECALL] + 0.05, results
