package dev.specnorm.spark;

import dev.specnorm.cli.checkpoint.Checkpoints;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Lists the checkpoints under a path with Hadoop's file system API, so that a local directory, {@code file:},
 * {@code hdfs:}, {@code s3a:} (with its connector on the class path) all work: the regular files directly in
 * the directory whose names end in one of {@link Checkpoints#SUFFIXES}, as {@code specnorm inspect DIR}
 * takes them, or the one file given.
 */
final class CheckpointListing {

    private CheckpointListing() {}

    /**
     * @return the files as fully qualified URIs, in no particular order
     * @throws FileNotFoundException if {@code input} does not exist
     */
    static List<String> list(String input, Configuration conf) throws IOException {
        Path path = new Path(input);
        FileSystem fs = path.getFileSystem(conf);
        FileStatus status = fs.getFileStatus(path);
        List<String> files = new ArrayList<>();
        if (!status.isDirectory()) {
            files.add(fs.makeQualified(path).toString());
            return files;
        }
        for (FileStatus s : fs.listStatus(path)) {
            String name = s.getPath().getName().toLowerCase(Locale.ROOT);
            if (s.isFile() && Checkpoints.SUFFIXES.stream().anyMatch(name::endsWith)) {
                files.add(fs.makeQualified(s.getPath()).toString());
            }
        }
        return files;
    }
}
