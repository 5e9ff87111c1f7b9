#!/usr/bin/env python3
"""Calls cliprt from another language through its C ABI: Python's ctypes
loads libcliprt.so, loads a golden fixture checkpoint, encodes the
fixture's images (compared with the reference embeddings the fixture
generator saved), builds a zero-shot classifier, classifies the images and
reads the provenance JSON. Standard library + numpy only.

usage: ctypes_test.py <libcliprt.so> <tests/data> <assets dir>
Exit 77 (ctest SKIP_RETURN_CODE) when numpy is missing; the classification
part needs OpenAI's BPE vocabulary ($CLIPRT_TEST_ASSETS or <assets dir>)."""
import ctypes
import json
import os
import sys

try:
    import numpy as np
except ImportError:
    print("SKIPPED: numpy is not installed")
    sys.exit(77)

OK = 0


class ModelParams(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_uint32), ("tokenizer_path", ctypes.c_char_p),
                ("towers", ctypes.c_int), ("precision", ctypes.c_int), ("num_threads", ctypes.c_int32),
                ("preprocess_preset", ctypes.c_char_p), ("manifest_dir", ctypes.c_char_p),
                ("strict_truncation", ctypes.c_int32), ("compute_sha256", ctypes.c_int32),
                ("thread_spin_us", ctypes.c_int32)]


class ModelInfo(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_uint32), ("embed_dim", ctypes.c_int64),
                ("has_vision", ctypes.c_int32), ("has_text", ctypes.c_int32),
                ("image_size", ctypes.c_int32), ("context_length", ctypes.c_int32),
                ("num_threads", ctypes.c_int32), ("has_logit_bias", ctypes.c_int32),
                ("logit_scale", ctypes.c_float), ("logit_bias", ctypes.c_float),
                ("family", ctypes.c_char_p), ("name", ctypes.c_char_p), ("precision", ctypes.c_char_p),
                ("score_rule", ctypes.c_char_p), ("architecture", ctypes.c_char_p)]


class ClassifierParams(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_uint32), ("template_set", ctypes.c_char_p),
                ("template_file", ctypes.c_char_p), ("templates", ctypes.POINTER(ctypes.c_char_p)),
                ("num_templates", ctypes.c_size_t)]


class ClassifyParams(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_uint32), ("top_k", ctypes.c_int32), ("use_threshold", ctypes.c_int32),
                ("threshold", ctypes.c_float), ("prompt_sensitivity", ctypes.c_int32)]


class LabelScore(ctypes.Structure):
    _fields_ = [("label", ctypes.c_int32), ("probability", ctypes.c_float), ("logit", ctypes.c_float)]


def bind(lib):
    p = ctypes.POINTER
    vp = ctypes.c_void_p
    sigs = {
        "cliprt_last_error_message": (ctypes.c_char_p, []),
        "cliprt_status_string": (ctypes.c_char_p, [ctypes.c_int]),
        "cliprt_model_default_params": (ModelParams, []),
        "cliprt_model_load": (ctypes.c_int, [ctypes.c_char_p, p(ModelParams), p(vp)]),
        "cliprt_model_free": (None, [vp]),
        "cliprt_model_info_get": (ctypes.c_int, [vp, p(ModelInfo)]),
        "cliprt_model_encode_image_files": (ctypes.c_int, [vp, p(ctypes.c_char_p), ctypes.c_size_t, ctypes.c_int,
                                                           p(vp)]),
        "cliprt_embeddings_values": (ctypes.c_int, [vp, p(p(ctypes.c_float)), p(ctypes.c_size_t),
                                                    p(ctypes.c_size_t)]),
        "cliprt_embeddings_free": (None, [vp]),
        "cliprt_classifier_default_params": (ClassifierParams, []),
        "cliprt_classifier_create": (ctypes.c_int, [vp, p(ctypes.c_char_p), ctypes.c_size_t, p(ClassifierParams),
                                                    p(vp)]),
        "cliprt_classifier_free": (None, [vp]),
        "cliprt_classify_default_params": (ClassifyParams, []),
        "cliprt_model_classify": (ctypes.c_int, [vp, vp, vp, p(ClassifyParams), p(vp)]),
        "cliprt_classification_image": (ctypes.c_int, [vp, ctypes.c_size_t, p(p(ctypes.c_float)),
                                                       p(p(ctypes.c_float)), p(p(LabelScore)),
                                                       p(ctypes.c_size_t), p(ctypes.c_int)]),
        "cliprt_classification_provenance_json": (ctypes.c_int, [vp, p(ctypes.c_char_p)]),
        "cliprt_classification_free": (None, [vp]),
    }
    for name, (restype, argtypes) in sigs.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    return lib


def check(lib, status, what):
    if status != OK:
        raise AssertionError("%s: %s: %s" % (what, lib.cliprt_status_string(status).decode(),
                                             lib.cliprt_last_error_message().decode()))


def strings(values):
    arr = (ctypes.c_char_p * len(values))()
    arr[:] = [v.encode() for v in values]
    return arr


def main():
    lib_path, data_dir, assets_dir = sys.argv[1:4]
    assets_dir = os.environ.get("CLIPRT_TEST_ASSETS", assets_dir)
    vocab = os.path.join(assets_dir, "bpe_simple_vocab_16e6.txt.gz")
    fixture = os.path.join(data_dir, "golden", "openai_vit_b32")
    golden = json.load(open(os.path.join(fixture, "golden.json"), encoding="utf-8"))
    images = [os.path.join(data_dir, rel) for rel in golden["images"]]
    have_vocab = os.path.exists(vocab)

    lib = bind(ctypes.CDLL(lib_path))
    params = lib.cliprt_model_default_params()
    assert params.struct_size == ctypes.sizeof(ModelParams), "ModelParams layout differs from cliprt.h"
    params.num_threads = 2
    if have_vocab:
        params.tokenizer_path = vocab.encode()
    else:
        params.towers = 1  # CLIPRT_TOWERS_VISION
    model = ctypes.c_void_p()
    check(lib, lib.cliprt_model_load(os.path.join(fixture, golden["checkpoint"]).encode(), ctypes.byref(params),
                                     ctypes.byref(model)), "cliprt_model_load")

    # An error comes back as a status and a message, never an exception or crash.
    bad = ctypes.c_void_p()
    status = lib.cliprt_model_load(b"/nonexistent/model.pt", None, ctypes.byref(bad))
    assert status != OK and b"/nonexistent/model.pt" in lib.cliprt_last_error_message()
    assert not bad

    info = ModelInfo()
    info.struct_size = ctypes.sizeof(ModelInfo)
    check(lib, lib.cliprt_model_info_get(model, ctypes.byref(info)), "cliprt_model_info_get")
    assert info.family == golden["family"].encode(), info.family
    assert info.image_size == 224

    emb = ctypes.c_void_p()
    paths = strings(images)
    check(lib, lib.cliprt_model_encode_image_files(model, paths, len(images), 0, ctypes.byref(emb)),
          "cliprt_model_encode_image_files")
    values = ctypes.POINTER(ctypes.c_float)()
    rows, dim = ctypes.c_size_t(), ctypes.c_size_t()
    check(lib, lib.cliprt_embeddings_values(emb, ctypes.byref(values), ctypes.byref(rows), ctypes.byref(dim)),
          "cliprt_embeddings_values")
    ours = np.ctypeslib.as_array(values, shape=(rows.value, dim.value)).copy()
    ref = np.load(os.path.join(fixture, golden["image_embeds"]))
    err = float(np.abs(ours - ref).max())
    assert err <= 1e-5 * float(np.abs(ref).max()), "image embeddings differ from the reference by %g" % err
    print("image embeddings: max |ours - reference| = %.3g (max |ref| %.3g)" % (err, float(np.abs(ref).max())))

    if not have_vocab:
        print("SKIPPED classification: %s not found (set CLIPRT_TEST_ASSETS)" % vocab)
    else:
        labels = ["cat", "dog", "diagram"]
        cparams = lib.cliprt_classifier_default_params()
        cparams.template_set = b"single"
        classifier = ctypes.c_void_p()
        check(lib, lib.cliprt_classifier_create(model, strings(labels), len(labels), ctypes.byref(cparams),
                                                ctypes.byref(classifier)), "cliprt_classifier_create")
        kparams = lib.cliprt_classify_default_params()
        kparams.top_k = 2
        result = ctypes.c_void_p()
        check(lib, lib.cliprt_model_classify(model, classifier, emb, ctypes.byref(kparams), ctypes.byref(result)),
              "cliprt_model_classify")
        for i in range(len(images)):
            logits = ctypes.POINTER(ctypes.c_float)()
            probs = ctypes.POINTER(ctypes.c_float)()
            top = ctypes.POINTER(LabelScore)()
            count = ctypes.c_size_t()
            abstained = ctypes.c_int(-1)
            check(lib, lib.cliprt_classification_image(result, i, ctypes.byref(logits), ctypes.byref(probs),
                                                       ctypes.byref(top), ctypes.byref(count),
                                                       ctypes.byref(abstained)), "cliprt_classification_image")
            p = np.ctypeslib.as_array(probs, shape=(len(labels),)).copy()
            l = np.ctypeslib.as_array(logits, shape=(len(labels),)).copy()
            assert abs(float(p.sum()) - 1.0) < 1e-5
            # Probabilities are the softmax of the logits (CLIP scoring).
            e = np.exp(l.astype(np.float64) - l.max())
            assert np.allclose(p, e / e.sum(), rtol=1e-5, atol=1e-7)
            assert count.value == 2 and top[0].label == int(np.argmax(l)) and abstained.value == 0
            print("image %d: %s (p=%.4f)" % (i, labels[top[0].label], top[0].probability))
        prov = ctypes.c_char_p()
        check(lib, lib.cliprt_classification_provenance_json(result, ctypes.byref(prov)),
              "cliprt_classification_provenance_json")
        provenance = json.loads(prov.value.decode("utf-8"))
        assert provenance["classification"]["labels"] == labels
        assert provenance["classification"]["templates"] == ["a photo of a {}."]
        assert provenance["classification"]["score_rule"] == "softmax"
        assert provenance["model"]["family"] == golden["family"]
        assert len(provenance["model"]["files"][0]["sha256"]) == 64
        lib.cliprt_classification_free(result)
        lib.cliprt_classifier_free(classifier)

    lib.cliprt_embeddings_free(emb)
    lib.cliprt_model_free(model)
    lib.cliprt_model_free(None)
    print("ctypes test passed")


if __name__ == "__main__":
    main()
