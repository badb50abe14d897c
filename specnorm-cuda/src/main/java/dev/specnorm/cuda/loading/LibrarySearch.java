package dev.specnorm.cuda.loading;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Where CUDA libraries are looked for, in order: the directories of {@code -Dspecnorm.cuda.libraryPath}
 * and of {@code SPECNORM_CUDA_LIBRARY_PATH}, {@code LD_LIBRARY_PATH}, {@code CUDA_HOME}/{@code CUDA_PATH},
 * {@code /usr/local/cuda*}, the system library directories, the driver's {@code /usr/local/nvidia} and WSL's
 * {@code /usr/lib/wsl/lib}, Python environments' NVIDIA wheels ({@code site-packages/nvidia/cu13/lib},
 * {@code nvidia/cublas/lib}, …), and last the dynamic linker's cache ({@code ldconfig -p}).
 */
final class LibrarySearch {

    /** System property with extra directories, searched first. */
    static final String PATH_PROPERTY = "specnorm.cuda.libraryPath";
    /** Environment variable with extra directories, searched second. */
    static final String PATH_VARIABLE = "SPECNORM_CUDA_LIBRARY_PATH";

    private static final String[] WHEEL_DIRS = {
        "cu13/lib", "cu12/lib", "cublas/lib", "cusolver/lib", "cuda_nvrtc/lib", "nvjitlink/lib", "cusparse/lib"
    };

    private final List<Path> dirs;
    private final Map<String, Path> cache;

    private LibrarySearch(List<Path> dirs, Map<String, Path> cache) {
        this.dirs = dirs;
        this.cache = cache;
    }

    /** The search order of this process. With {@code explicitOnly}, only the property's directories. */
    static LibrarySearch fromEnvironment(boolean explicitOnly) {
        Set<Path> dirs = new LinkedHashSet<>();
        addPath(dirs, System.getProperty(PATH_PROPERTY));
        if (explicitOnly) {
            return new LibrarySearch(existing(dirs), Map.of());
        }
        addPath(dirs, System.getenv(PATH_VARIABLE));
        addPath(dirs, System.getenv("LD_LIBRARY_PATH"));
        for (String home : new String[] {System.getenv("CUDA_HOME"), System.getenv("CUDA_PATH")}) {
            if (home != null && !home.isBlank()) {
                dirs.add(Path.of(home, "lib64"));
                dirs.add(Path.of(home, "lib"));
            }
        }
        dirs.add(Path.of("/usr/local/cuda/lib64"));
        dirs.add(Path.of("/usr/local/cuda/targets/x86_64-linux/lib"));
        glob(dirs, Path.of("/usr/local"), "cuda-*", "lib64");
        dirs.add(Path.of("/usr/lib/x86_64-linux-gnu"));
        dirs.add(Path.of("/usr/lib64"));
        dirs.add(Path.of("/usr/local/nvidia/lib64"));
        dirs.add(Path.of("/usr/local/nvidia/lib"));
        dirs.add(Path.of("/usr/lib/wsl/lib"));
        for (Path sitePackages : sitePackages()) {
            for (String wheel : WHEEL_DIRS) {
                dirs.add(sitePackages.resolve("nvidia").resolve(wheel));
            }
        }
        return new LibrarySearch(existing(dirs), ldconfigCache());
    }

    /** The first {@code name} in the search order, or empty. */
    Optional<Path> find(String name) {
        for (Path d : dirs) {
            Path p = d.resolve(name);
            if (Files.isRegularFile(p)) {
                return Optional.of(p);
            }
        }
        return Optional.ofNullable(cache.get(name));
    }

    /** The first file whose name starts with {@code prefix} (e.g. {@code libnvrtc-builtins.so.13}), or empty. */
    Optional<Path> findPrefix(String prefix) {
        for (Path d : dirs) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(d, prefix + "*")) {
                for (Path p : s) {
                    if (Files.isRegularFile(p)) {
                        return Optional.of(p);
                    }
                }
            } catch (IOException e) {
                // unreadable directory: skip it
            }
        }
        return cache.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    /** The directories searched, for messages. */
    List<Path> dirs() {
        return dirs;
    }

    /** Whether names missing from the directories are looked up in {@code ldconfig -p}'s cache. */
    boolean usesLinkerCache() {
        return !cache.isEmpty();
    }

    /** The searched directories for a one-line message: the first three and how many more. */
    String brief() {
        if (dirs.isEmpty()) {
            return "no existing search directory";
        }
        List<String> shown = dirs.stream().limit(3).map(Path::toString).toList();
        return String.join(", ", shown) + (dirs.size() > 3 ? " and " + (dirs.size() - 3) + " more directories" : "");
    }

    private static void addPath(Set<Path> dirs, String path) {
        if (path != null) {
            for (String d : path.split(File.pathSeparator, -1)) {
                if (!d.isBlank()) {
                    dirs.add(Path.of(d.strip()));
                }
            }
        }
    }

    private static List<Path> existing(Set<Path> dirs) {
        List<Path> out = new ArrayList<>();
        for (Path d : dirs) {
            if (Files.isDirectory(d)) {
                out.add(d);
            }
        }
        return out;
    }

    /** parent/pattern/child for every match, newest name first (cuda-13.0 before cuda-12.6). */
    private static void glob(Set<Path> dirs, Path parent, String pattern, String child) {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(parent, pattern)) {
            s.forEach(found::add);
        } catch (IOException e) {
            return;
        }
        found.sort(Comparator.comparing(Path::toString).reversed());
        found.forEach(p -> dirs.add(p.resolve(child)));
    }

    private static List<Path> sitePackages() {
        Set<Path> roots = new LinkedHashSet<>();
        List<Path> venvs = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(Path.of("/opt"))) {
            for (Path p : s) {
                venvs.add(p.resolve(".venv/lib"));
                venvs.add(p.resolve("lib"));
            }
        } catch (IOException e) {
            // no /opt
        }
        venvs.add(Path.of("/usr/local/lib"));
        venvs.add(Path.of("/usr/lib"));
        String home = System.getProperty("user.home");
        if (home != null) {
            venvs.add(Path.of(home, ".local/lib"));
        }
        for (Path lib : venvs) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(lib, "python3*")) {
                for (Path py : s) {
                    roots.add(py.resolve("site-packages"));
                    roots.add(py.resolve("dist-packages"));
                }
            } catch (IOException e) {
                // not there
            }
        }
        return new ArrayList<>(roots);
    }

    /** soname → path from {@code ldconfig -p}, or empty if ldconfig is not there. */
    private static Map<String, Path> ldconfigCache() {
        Map<String, Path> out = new HashMap<>();
        for (String ldconfig : new String[] {"/sbin/ldconfig", "/usr/sbin/ldconfig"}) {
            if (!Files.isExecutable(Path.of(ldconfig))) {
                continue;
            }
            try {
                Process p = new ProcessBuilder(ldconfig, "-p")
                        .redirectErrorStream(true)
                        .start();
                try (BufferedReader r =
                        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        int arrow = line.indexOf("=>");
                        if (arrow > 0 && line.contains("x86-64")) {
                            String name = line.strip().split("\\s+", -1)[0];
                            out.putIfAbsent(
                                    name, Path.of(line.substring(arrow + 2).strip()));
                        }
                    }
                }
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (IOException e) {
                return out;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return out;
            }
            break;
        }
        return out;
    }
}
