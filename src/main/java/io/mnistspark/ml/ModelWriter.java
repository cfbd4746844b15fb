package io.mnistspark.ml;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLWriter;
import scala.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Saves a {@link DenseNetClassificationModel}: Spark's params metadata, {@code data/model.zip}, {@code data/config.conf}. */
final class ModelWriter extends MLWriter {
    static final String MODEL_FILE = "data/model.zip";
    static final String CONFIG_FILE = "data/config.conf";

    private final DenseNetClassificationModel instance;

    ModelWriter(DenseNetClassificationModel instance) {
        this.instance = instance;
    }

    @Override
    public void saveImpl(String path) {
        DefaultParamsWriter$.MODULE$.saveMetadata(instance, path, sc(), Option.empty(), Option.empty());
        try {
            Path model = new Path(path, MODEL_FILE);
            FileSystem fs = model.getFileSystem(sc().hadoopConfiguration());
            try (OutputStream out = fs.create(model, false)) {
                out.write(instance.modelBytes());
            }
            if (instance.trainingConfig() != null) {
                try (OutputStream out = fs.create(new Path(path, CONFIG_FILE), false)) {
                    out.write(instance.trainingConfig().getBytes(StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the model to " + path, e);
        }
    }
}
