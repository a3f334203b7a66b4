# Table IV (a) Ours-alpha: no mutual guidance. Stage 2 (from the same
# iteration, with the same lr drop) adds L_SB and L_CRF as in "Ours" (the
# table keeps both), on the phase-1 outputs O_T, O_P: the decoders stay
# disconnected.
_base_ = ['mgnet_vgg_60k_totaltext-ic13warp.py']

model = dict(use_mutual_guidance=False)
