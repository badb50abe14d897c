package dev.specnorm.spark;

import dev.specnorm.cli.checkpoint.LayerReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The aggregated table as Parquet: {@code layers.parquet}, one row per (checkpoint, layer) with the columns of
 * {@code checkpoints.csv} (σ₁, σ̂ after K steps and its relative error, ‖W‖_F, stable rank ‖W‖²_F/σ₁²,
 * convolution norms; absent values null), and {@code failures.parquet}, one row per file that could not be
 * inspected with its error. Both replace what a previous run left (SaveMode.Overwrite), so re-running into
 * the same directory is safe.
 */
final class LayerTable {

    static final StructType LAYERS = new StructType(new StructField[] {
        DataTypes.createStructField("checkpoint", DataTypes.StringType, false),
        DataTypes.createStructField("layer", DataTypes.StringType, false),
        DataTypes.createStructField("shape", DataTypes.createArrayType(DataTypes.IntegerType, false), false),
        DataTypes.createStructField("dtype", DataTypes.StringType, false),
        DataTypes.createStructField("matrices", DataTypes.IntegerType, false),
        DataTypes.createStructField("rows", DataTypes.IntegerType, false),
        DataTypes.createStructField("cols", DataTypes.IntegerType, false),
        DataTypes.createStructField("sigma", DataTypes.DoubleType, false),
        DataTypes.createStructField("residual_bound", DataTypes.DoubleType, true),
        DataTypes.createStructField("sigma_hat", DataTypes.DoubleType, false),
        DataTypes.createStructField("sigma_hat_relative_error", DataTypes.DoubleType, true),
        DataTypes.createStructField("frobenius", DataTypes.DoubleType, false),
        DataTypes.createStructField("stable_rank", DataTypes.DoubleType, true),
        DataTypes.createStructField("conv_zero_pad", DataTypes.DoubleType, true),
        DataTypes.createStructField("conv_zero_pad_converged", DataTypes.BooleanType, true),
        DataTypes.createStructField("conv_circular", DataTypes.DoubleType, true)
    });

    static final StructType FAILURES = new StructType(new StructField[] {
        DataTypes.createStructField("checkpoint", DataTypes.StringType, false),
        DataTypes.createStructField("error", DataTypes.StringType, false)
    });

    private LayerTable() {}

    /** Writes both tables under {@code out}; returns their directory names. */
    static List<String> writeParquet(SparkSession spark, List<FileResult> results, Path out) {
        List<Row> layers = new ArrayList<>();
        List<Row> failures = new ArrayList<>();
        for (FileResult r : results) {
            String name = new org.apache.hadoop.fs.Path(r.file()).getName();
            if (r.failed()) {
                failures.add(RowFactory.create(name, r.error()));
                continue;
            }
            for (LayerReport l : r.layers()) {
                List<Integer> shape = new ArrayList<>();
                for (int d : l.shape()) {
                    shape.add(d);
                }
                boolean conv = l.shape().length == 4;
                layers.add(RowFactory.create(
                        name,
                        l.name(),
                        shape.toArray(new Integer[0]),
                        l.dtype().typeName(),
                        l.matrices(),
                        l.rows(),
                        l.cols(),
                        l.sigma(),
                        orNull(l.residualBound()),
                        l.powerSigma(),
                        orNull(l.powerRelativeError()),
                        l.frobenius(),
                        orNull(l.stableRank()),
                        orNull(l.convOperatorNorm()),
                        (conv && Double.isFinite(l.convOperatorNorm())) ? l.convOperatorConverged() : null,
                        orNull(l.convCircularNorm())));
            }
        }
        String base = out.toAbsolutePath().toUri().toString();
        base = base.endsWith("/") ? base : base + "/";
        spark.createDataFrame(layers, LAYERS)
                .coalesce(1)
                .write()
                .mode(SaveMode.Overwrite)
                .parquet(base + "layers.parquet");
        spark.createDataFrame(failures, FAILURES)
                .coalesce(1)
                .write()
                .mode(SaveMode.Overwrite)
                .parquet(base + "failures.parquet");
        return List.of("layers.parquet", "failures.parquet");
    }

    private static Double orNull(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
