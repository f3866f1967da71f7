"""Denoise and classify one recording of config inference.input_folder with a finished run's models."""

from danet_music2vec.inference.user_audio import UserAudioSettings, load_models, process_recording, torch_threads
from danet_music2vec.scripting import logged

with logged(snakemake.log[0]):
    torch_threads(snakemake.threads)
    inp, params = snakemake.input, snakemake.params
    models = load_models(
        params.method, params.stft, params.separation, classifier=inp.classifier, soundnet=inp.soundnet,
        danet=getattr(inp, "danet", None), fit=getattr(inp, "fit", None),
    )
    settings = UserAudioSettings(**params.settings)
    record = process_recording(inp.audio, params.name, snakemake.output[0], models, settings)
    if record["status"] == "ok":
        seconds = record["seconds"]["total"]
        weight = (f"fusion weight {record['fusion_weight']:.3f} (denoised: {record['predicted_denoised']})"
                  if record["fusion_weight"] is not None else f"weight {record['mix_weight']:.3f}")
        print(f"{params.name}: {record['duration_s']:.1f} s ({record['channels']} ch, {record['sample_rate']} Hz, "
              f"{record['audio_format']}) in {record['chunks']} chunk(s): {record['predicted']} "
              f"(input: {record['predicted_input']}), blind SNR {record['blind_snr_db']:.2f} dB, "
              f"{weight}; {seconds:.2f} s, {record['duration_s'] / seconds:.0f}x real time")
    else:
        print(f"{params.name}: skipped: {record['reason']}")
