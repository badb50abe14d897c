package dev.specnorm.spark;

import dev.specnorm.cli.checkpoint.CheckpointReport;
import dev.specnorm.cli.checkpoint.Checkpoints;
import dev.specnorm.cli.checkpoint.InspectEngine;
import dev.specnorm.cli.checkpoint.InspectOptions;
import dev.specnorm.cli.checkpoint.InspectProgress;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code spark} inspect engine: lists the checkpoints under the input on the driver
 * ({@link CheckpointListing}); a first job plans each file on an executor from its header ({@link PlanFileTask}:
 * its layers and their seeded start-vector index; a file that cannot be read fails here, alone); a second job
 * makes one task per (file, layer) item ({@link InspectLayerTask}: the tensor is read on the executor,
 * memory-mapped, only its row comes back), so that one large checkpoint spreads over every core; the driver
 * puts each file's rows back together in file order and writes them as Parquet ({@link LayerTable}). Which Spark runs it: the active session if there is one (a test's,
 * or spark-submit's), else a new one on {@code --master}, else on the {@code spark.master} that spark-submit
 * sets, else {@code local[*]}; a session it made it also stops.
 */
public final class SparkInspectEngine implements InspectEngine {

    /** The master used when none is given: every core of this machine, in this JVM. */
    public static final String DEFAULT_MASTER = "local[*]";

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public Result inspect(Request request, InspectProgress progress) throws IOException {
        SparkSession active = SparkSession.getActiveSession().getOrElse(() -> null);
        SparkSession spark = active != null ? active : newSession(request.master());
        try {
            return run(spark, request, progress);
        } finally {
            if (active == null) {
                spark.stop();
            }
        }
    }

    private static SparkSession newSession(String master) {
        SparkSession.Builder builder = SparkSession.builder().appName("specnorm inspect");
        String chosen = master != null ? master : System.getProperty("spark.master", DEFAULT_MASTER);
        builder.master(chosen);
        if (chosen.startsWith("local")) {
            // inside the command line: no web UI, and Spark's INFO lines would bury the report
            builder.config("spark.ui.enabled", "false");
            if (System.getProperty("log4j2.configurationFile") == null) {
                Configurator.setRootLevel(Level.WARN);
                // that Hadoop uses its Java code instead of native libraries changes nothing on local files
                Configurator.setLevel("org.apache.hadoop.util.NativeCodeLoader", Level.ERROR);
            }
        }
        return builder.getOrCreate();
    }

    private static Result run(SparkSession spark, Request request, InspectProgress progress) throws IOException {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<String> files = CheckpointListing.list(request.input(), context.hadoopConfiguration());
        if (files.isEmpty()) {
            throw new FileNotFoundException(request.input() + ": no checkpoints in this directory (files "
                    + "ending in " + String.join(", ", Checkpoints.SUFFIXES) + ")");
        }
        InspectSettings settings = InspectSettings.of(request.options(), request.backend());
        String master = spark.sparkContext().master();
        List<FilePlan> plans = runJob(
                spark,
                progress,
                "planning " + files.size() + " checkpoints on " + master,
                files.size(),
                () -> context.parallelize(files, files.size())
                        .mapPartitions(new PlanFileTask(settings))
                        .collect());
        List<LayerItem> items = new ArrayList<>();
        for (FilePlan p : plans) {
            if (p.plan() != null) {
                p.plan().layers().forEach(l -> items.add(new LayerItem(p.file(), l)));
            }
        }
        List<LayerResult> layers = items.isEmpty()
                ? List.of()
                : runJob(
                        spark,
                        progress,
                        items.size() + " layers of " + files.size() + " checkpoints on " + master,
                        items.size(),
                        () -> context.parallelize(items, items.size())
                                .mapPartitions(new InspectLayerTask(settings))
                                .collect());
        String noLayers = layers.isEmpty() ? request.backend() : layers.get(0).backend();
        List<FileResult> results = new ArrayList<>();
        int next = 0;
        for (FilePlan p : plans) {
            int count = p.plan() == null ? 0 : p.plan().layers().size();
            results.add(FileResult.of(p, layers.subList(next, next + count), noLayers));
            next += count;
        }
        InspectOptions options = request.options();
        Path localInput = LocalCheckpoint.localPath(request.input());
        List<CheckpointReport> reports = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        for (FileResult r : results) {
            if (r.failed()) {
                failures.add(r.failure());
            } else {
                reports.add(r.report(shownPath(localInput, files.size(), r.file()), options));
            }
        }
        List<String> written =
                request.out() == null ? List.of() : LayerTable.writeParquet(spark, results, request.out());
        return new Result(reports, failures, written);
    }

    /** Runs one job of {@code units} tasks, one progress step per finished task. */
    private static <T> List<T> runJob(
            SparkSession spark, InspectProgress progress, String what, int units, Supplier<List<T>> job) {
        progress.start(what, units);
        TaskCounter counter = new TaskCounter(progress, units);
        spark.sparkContext().addSparkListener(counter);
        try {
            List<T> results = job.get();
            counter.completeAll();
            return results;
        } finally {
            spark.sparkContext().removeSparkListener(counter);
            counter.close();
        }
    }

    /** The file as {@code specnorm inspect} names it: the input path joined with the file's name. */
    private static Path shownPath(Path localInput, int fileCount, String file) {
        if (localInput == null) {
            return Path.of(file);
        }
        if (fileCount == 1 && !Files.isDirectory(localInput)) {
            return localInput;
        }
        return localInput.resolve(new org.apache.hadoop.fs.Path(file).getName());
    }

    /**
     * Reports each successfully finished task of the job as one step, at most {@code units} of them; the
     * listener runs on Spark's event thread and may lag the job, so {@link #completeAll()} reports the rest once
     * the job has returned, and steps arriving after that are dropped.
     */
    private static final class TaskCounter extends SparkListener {
        private final InspectProgress progress;
        private final int units;
        private int done;
        private boolean closed;

        TaskCounter(InspectProgress progress, int units) {
            this.progress = progress;
            this.units = units;
        }

        @Override
        public synchronized void onTaskEnd(SparkListenerTaskEnd taskEnd) {
            if (!closed && done < units && taskEnd.taskInfo().successful()) {
                done++;
                progress.step("inspected " + done + " of " + units);
            }
        }

        /** The job returned, so every task has ended: reports the steps whose events are still on the bus. */
        synchronized void completeAll() {
            while (!closed && done < units) {
                done++;
                progress.step("inspected " + done + " of " + units);
            }
        }

        synchronized void close() {
            closed = true;
            progress.finish();
        }
    }
}
