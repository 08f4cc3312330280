package dev.loggardener.pipeline;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The Dataflow Flex Template's entry point: the template launcher calls it with the job's
 * parameters as {@code --name=value} pipeline options (see {@code terraform/dataflow.tf}). It
 * submits the job and returns; Dataflow runs it.
 */
public final class Launch {
  private Launch() {}

  public static void main(String[] args) {
    PipelineOptionsFactory.register(GardenerOptions.class);
    GardenerOptions options =
        PipelineOptionsFactory.fromArgs(args).withValidation().as(GardenerOptions.class);
    Pipeline p = Pipeline.create(options);
    GardenerPipeline.build(p, options, GardenerPipeline.sink(options));
    p.run();
  }
}
