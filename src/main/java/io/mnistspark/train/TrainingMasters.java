package io.mnistspark.train;

import io.mnistspark.config.SparkSpec;
import io.mnistspark.config.TrainingApproach;
import io.mnistspark.config.TrainingSpec;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;

/** Builds DL4J's {@link ParameterAveragingTrainingMaster} from the {@code spark} and {@code training} sections. */
public final class TrainingMasters {
    private TrainingMasters() {
    }

    /**
     * @param workers       the resolved number of workers
     * @param exportDirectory where {@code export} writes its temporary mini-batch files
     */
    public static ParameterAveragingTrainingMaster create(SparkSpec spark, TrainingSpec training, int workers,
                                                          String exportDirectory) {
        ParameterAveragingTrainingMaster master = builder(spark, training, workers, exportDirectory).build();
        master.addHook(new SystemClock());
        return master;
    }

    /** The master the trainer uses: it is told the size of every round instead of counting it. */
    static RoundTrainingMaster forRounds(SparkSpec spark, TrainingSpec training, int workers, String exportDirectory) {
        RoundTrainingMaster master = new RoundTrainingMaster(builder(spark, training, workers, exportDirectory));
        master.addHook(new SystemClock());
        return master;
    }

    private static ParameterAveragingTrainingMaster.Builder builder(SparkSpec spark, TrainingSpec training, int workers,
                                                          String exportDirectory) {
        SystemClock.select(); // in any SparkSession: no NTP servers needed (see SystemClock)
        ParameterAveragingTrainingMaster.Builder builder =
                new ParameterAveragingTrainingMaster.Builder(workers, training.batchSize())
                        .batchSizePerWorker(training.batchSize())
                        .averagingFrequency(spark.averagingFrequency())
                        .workerPrefetchNumBatches(spark.prefetchBatches())
                        .saveUpdater(spark.averageUpdaterState())
                        .rngSeed(training.seed())
                        // a round's mini-batches are read once (the trainer gives DL4J their count): nothing
                        // to persist; DL4J would persist them itself and never unpersist them
                        .storageLevel(null)
                        // every round's RDD already has one partition per worker: no shuffle
                        .repartionData(Repartition.NumPartitionsWorkersDiffers)
                        .collectTrainingStats(spark.trainingStats());
        if (spark.rddTrainingApproach() == TrainingApproach.EXPORT) {
            builder.rddTrainingApproach(RDDTrainingApproach.Export).exportDirectory(exportDirectory);
        } else {
            builder.rddTrainingApproach(RDDTrainingApproach.Direct);
        }
        return builder;
    }
}
