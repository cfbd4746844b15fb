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
        SystemClock.select(); // in any SparkSession: no NTP servers needed (see SystemClock)
        ParameterAveragingTrainingMaster.Builder builder =
                new ParameterAveragingTrainingMaster.Builder(workers, training.batchSize())
                        .batchSizePerWorker(training.batchSize())
                        .averagingFrequency(spark.averagingFrequency())
                        .workerPrefetchNumBatches(spark.prefetchBatches())
                        .saveUpdater(spark.averageUpdaterState())
                        .rngSeed(training.seed())
                        // the epoch's RDD is persisted and released by the trainer; DL4J would persist it
                        // itself and never unpersist it
                        .storageLevel(null)
                        // the epoch RDD already has one balanced partition per worker: no shuffle per split
                        .repartionData(Repartition.NumPartitionsWorkersDiffers)
                        .collectTrainingStats(spark.trainingStats());
        if (spark.rddTrainingApproach() == TrainingApproach.EXPORT) {
            builder.rddTrainingApproach(RDDTrainingApproach.Export).exportDirectory(exportDirectory);
        } else {
            builder.rddTrainingApproach(RDDTrainingApproach.Direct);
        }
        ParameterAveragingTrainingMaster master = builder.build();
        master.addHook(new SystemClock());
        return master;
    }
}
