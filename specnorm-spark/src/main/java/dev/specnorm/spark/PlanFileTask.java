package dev.specnorm.spark;

import dev.specnorm.cli.checkpoint.CheckpointInspector;
import dev.specnorm.cli.checkpoint.Checkpoints;
import dev.specnorm.cli.checkpoint.TensorSource;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * The first stage, on the executors: opens each checkpoint of its partition (headers only) and plans it with
 * {@link CheckpointInspector#plan}; a file that cannot be opened or planned becomes a {@link FilePlan} with the
 * reader's message.
 */
final class PlanFileTask implements FlatMapFunction<Iterator<String>, FilePlan> {

    private static final long serialVersionUID = 1L;

    private final InspectSettings settings;

    PlanFileTask(InspectSettings settings) {
        this.settings = settings;
    }

    @Override
    public Iterator<FilePlan> call(Iterator<String> files) {
        List<FilePlan> plans = new ArrayList<>();
        while (files.hasNext()) {
            String file = files.next();
            long bytes = 0;
            try (LocalCheckpoint local = LocalCheckpoint.of(file);
                    TensorSource source = Checkpoints.open(local.path(), settings.void2IsBfloat16())) {
                bytes = Files.size(local.path());
                plans.add(new FilePlan(
                        file, bytes, CheckpointInspector.plan(source, local.path(), settings.options()), null));
            } catch (IOException | RuntimeException e) {
                plans.add(new FilePlan(file, bytes, null, InspectLayerTask.message(e)));
            }
        }
        return plans.iterator();
    }
}
