# Pipeline pieces shared by the text segmentation configs (named so that a
# config can compose its own pipeline and insert method-specific steps).
load_steps = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(
        type='LoadOCRAnnotations',
        with_polygon=True,
        with_bbox=True,
        with_label=True),
]
mask_steps = [
    dict(type='LoadTextMasks'),
    # Polygon-level GT from the word polygons where no mask file exists.
    dict(type='RasterizePolygonMask'),
]
colour_steps = [
    # Brightness, contrast, saturation, hue: MMOCR's torchvision wrapper as
    # is; it changes only the image, so the masks stay valid.
    dict(
        type='TorchVisionWrapper',
        op='ColorJitter',
        brightness=0.2,
        contrast=0.2,
        saturation=0.5,
        hue=0.05),
    dict(type='RandomGaussianNoise', prob=0.5, std=(0., 8.)),
]
pack_steps = [dict(type='PackTextSegInputs')]
textseg_data_preprocessor = dict(
    type='TextSegDataPreprocessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_size_divisor=32)
