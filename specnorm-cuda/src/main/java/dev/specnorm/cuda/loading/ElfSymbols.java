package dev.specnorm.cuda.loading;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * The names of the functions and objects a 64-bit little-endian ELF shared library defines in its dynamic
 * symbol table ({@code .dynsym}, symbols with a section index other than {@code SHN_UNDEF}): what
 * {@code nm -D --defined-only} lists, read without binutils. Used to report which forwarded functions a
 * CUDA 13 library lacks.
 */
final class ElfSymbols {

    private static final int SHT_DYNSYM = 11;

    private ElfSymbols() {}

    /**
     * The defined dynamic symbols of {@code library}.
     *
     * @throws IOException if it cannot be read or is not a 64-bit little-endian ELF file
     */
    static Set<String> defined(Path library) throws IOException {
        try (FileChannel ch = FileChannel.open(library, StandardOpenOption.READ)) {
            MappedByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            b.order(ByteOrder.LITTLE_ENDIAN);
            if (b.limit() < 64 || b.getInt(0) != 0x464c457f || b.get(4) != 2 || b.get(5) != 1) {
                throw new IOException(library + " is not a 64-bit little-endian ELF file");
            }
            long shoff = b.getLong(0x28);
            int shentsize = Short.toUnsignedInt(b.getShort(0x3A));
            int shnum = Short.toUnsignedInt(b.getShort(0x3C));
            for (int i = 0; i < shnum; i++) {
                int sh = (int) (shoff + (long) i * shentsize);
                if (b.getInt(sh + 4) != SHT_DYNSYM) {
                    continue;
                }
                int symOffset = (int) b.getLong(sh + 0x18);
                int symSize = (int) b.getLong(sh + 0x20);
                int link = b.getInt(sh + 0x28);
                int entsize = (int) b.getLong(sh + 0x38);
                int strtab = (int) b.getLong((int) (shoff + (long) link * shentsize) + 0x18);
                Set<String> names = new HashSet<>();
                for (int s = symOffset; s + entsize <= symOffset + symSize; s += entsize) {
                    int name = b.getInt(s);
                    int shndx = Short.toUnsignedInt(b.getShort(s + 6));
                    if (shndx != 0 && name != 0) {
                        names.add(string(b, strtab + name));
                    }
                }
                return names;
            }
            throw new IOException(library + " has no dynamic symbol table");
        }
    }

    private static String string(MappedByteBuffer b, int at) {
        int end = at;
        while (b.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - at];
        b.get(at, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
