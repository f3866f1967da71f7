"""results/inference/: predictions.csv, problems.csv and the page of the user's recordings."""

from danet_music2vec.inference.user_audio import read_method_curve
from danet_music2vec.report.inference_page import InferencePageSettings, read_results, write_inference_outputs
from danet_music2vec.scripting import logged

with logged(snakemake.log[0]):
    params, out = snakemake.params, snakemake.output
    records = read_results(snakemake.input.recordings)
    models = dict(params.models)
    curve = read_method_curve(params.method, models["fit"]).as_dict() if "fit" in models else None
    predictions, problems = write_inference_outputs(
        records, params.input_paths, InferencePageSettings(**params.page), page=out.page,
        predictions=out.predictions, problems=out.problems, other_files=list(params.other_files), models=models,
        curve=curve,
    )
    print(f"{len(predictions)} recordings classified, {len(problems)} problems -> {out.page}")
    for _, row in problems.iterrows():
        print(f"problem: {row['file']}: {row['reason']}")
