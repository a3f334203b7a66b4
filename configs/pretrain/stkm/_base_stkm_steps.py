# Pipeline pieces shared by the STKM configs: load the image and its word
# list (no boxes), ..., pack an image -> text-sequence sample. Each config
# puts its geometry and its GenerateOTSGSequence (with its dictionary) in
# between.
load_steps = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(type='LoadOCRAnnotations', with_text=True),
]
pack_steps = [dict(type='PackTextSequenceInputs')]
