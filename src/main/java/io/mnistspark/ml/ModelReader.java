package io.mnistspark.ml;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.MLReader;
import scala.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Loads what {@link ModelWriter} saved. */
final class ModelReader extends MLReader<DenseNetClassificationModel> {
    @Override
    public DenseNetClassificationModel load(String path) {
        DefaultParamsReader.Metadata metadata = DefaultParamsReader$.MODULE$.loadMetadata(path, sc(),
                DenseNetClassificationModel.class.getName());
        try {
            Path model = new Path(path, ModelWriter.MODEL_FILE);
            FileSystem fs = model.getFileSystem(sc().hadoopConfiguration());
            byte[] bytes;
            try (InputStream in = fs.open(model)) {
                bytes = in.readAllBytes();
            }
            Path config = new Path(path, ModelWriter.CONFIG_FILE);
            String trainingConfig = null;
            if (fs.exists(config)) {
                try (InputStream in = fs.open(config)) {
                    trainingConfig = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            DenseNetClassificationModel instance = new DenseNetClassificationModel(metadata.uid(), bytes, trainingConfig);
            metadata.getAndSetParams(instance, Option.empty());
            return instance;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the model from " + path, e);
        }
    }
}
