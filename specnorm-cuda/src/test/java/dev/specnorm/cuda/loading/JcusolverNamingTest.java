package dev.specnorm.cuda.loading;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * The build packages jcusolver's newest native (11.7.0) under the name {@code JCusolver.initialize()} looks
 * for, which carries the core JCuda version (12.6.0), byte for byte. No gcc needed; {@link CudaLoaderTest}
 * shows the renamed native loading in a child JVM.
 */
class JcusolverNamingTest {

    @Test
    void theJcusolverNativeIsPackagedUnderTheCoreJcudaVersion() throws IOException {
        byte[] renamed;
        try (InputStream in = CudaLoader.class.getResourceAsStream("/lib/libJCusolver-12.6.0-linux-x86_64.so")) {
            assertNotNull(in, "the build did not write lib/libJCusolver-12.6.0-linux-x86_64.so");
            renamed = in.readAllBytes();
        }
        byte[] original;
        try (InputStream in = CudaLoader.class.getResourceAsStream("/lib/libJCusolver-11.7.0-linux-x86_64.so")) {
            assertNotNull(in, "jcusolver-natives 11.7.0 is not on the test classpath");
            original = in.readAllBytes();
        }
        assertArrayEquals(original, renamed);
    }
}
