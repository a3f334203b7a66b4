# TCM-DBNet with CLIP RN101 (slides: backbone size comparison) on
# ICDAR2015: RN101's image tower has 3-4-23-3 blocks and, like its text
# tower, 512-d embeddings (RN50: 1024); C2..C5 keep 256..2048 channels.
# Its CLIP file is OpenAI's RN101.pt.
_base_ = ['tcm-dbnet_clip-rn50_fpnc_1200e_icdar2015.py']

embed_dim = 512
model = dict(
    backbone=dict(layers=(3, 4, 23, 3), embed_dim=embed_dim),
    text_encoder=dict(embed_dim=embed_dim),
    language_prompt=dict(in_channels=embed_dim, hidden_channels=embed_dim),
    visual_prompt=dict(in_channels=embed_dim),
    context_decoder=dict(in_channels=embed_dim),
    clip_checkpoint='checkpoints/clip/RN101.pt')
