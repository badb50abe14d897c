package dev.specnorm.cli.checkpoint;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pickle reader (protocols 2 to 5) that builds only what a PyTorch {@code state_dict} is made of and
 * never runs anything: strings, numbers, booleans, None, tuples, lists, dicts, {@code collections.OrderedDict},
 * tensors ({@code torch._utils._rebuild_tensor_v2}, {@code _rebuild_parameter}) and storages referenced by
 * persistent id ({@code ('storage', torch.HalfStorage, key, location, numel)}). Any other global —
 * {@code os.system}, {@code builtins.eval}, any class — and any opcode outside that set is refused with a
 * {@link CheckpointFormatException} naming it, at the opcode that names it.
 */
final class RestrictedUnpickler {

    /** What the pickle's callables and persistent ids become. */
    interface Builder {
        /** A storage from its persistent id: dtype, key (the zip entry data/KEY), element count. */
        Object storage(TensorDtype dtype, String key, long elements) throws CheckpointFormatException;

        /** {@code _rebuild_tensor_v2(storage, offset, size, stride, ...)}. */
        Object tensor(Object storage, long offset, long[] size, long[] stride) throws CheckpointFormatException;
    }

    /** A Python global the pickle named (allowed ones only). */
    record Global(String module, String name) {
        String qualified() {
            return module + "." + name;
        }
    }

    /** A Python tuple. */
    record Tuple(List<Object> items) {}

    /** Python None. */
    static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    static final Map<String, TensorDtype> STORAGES = Map.ofEntries(
            Map.entry("DoubleStorage", TensorDtype.F64), Map.entry("FloatStorage", TensorDtype.F32),
            Map.entry("HalfStorage", TensorDtype.F16), Map.entry("BFloat16Storage", TensorDtype.BF16),
            Map.entry("LongStorage", TensorDtype.I64), Map.entry("IntStorage", TensorDtype.I32),
            Map.entry("ShortStorage", TensorDtype.I16), Map.entry("CharStorage", TensorDtype.I8),
            Map.entry("ByteStorage", TensorDtype.U8), Map.entry("BoolStorage", TensorDtype.BOOL));

    private static final Set<String> CALLABLES =
            Set.of("collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter");

    private final String source;
    private final ByteBuffer in;
    private final Builder builder;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    private RestrictedUnpickler(String source, byte[] pickle, Builder builder) {
        this.source = source;
        this.in = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
        this.builder = builder;
    }

    /** The object the pickle holds. */
    static Object load(String source, byte[] pickle, Builder builder) throws CheckpointFormatException {
        return new RestrictedUnpickler(source, pickle, builder).run();
    }

    private Object run() throws CheckpointFormatException {
        while (true) {
            int op = u8();
            switch (op) {
                case 0x80 -> { // PROTO
                    int protocol = u8();
                    if (protocol > 5) {
                        throw refuse("pickle protocol " + protocol + " is unknown");
                    }
                }
                case 0x95 -> skip(8); // FRAME
                case '.' -> { // STOP
                    if (stack.size() != 1 || !marks.isEmpty()) {
                        throw refuse("pickle ends with " + stack.size() + " objects on its stack");
                    }
                    return stack.get(0);
                }
                case '(' -> marks.add(stack.size());
                case '}' -> push(new LinkedHashMap<>());
                case ']' -> push(new ArrayList<>());
                case ')' -> push(new Tuple(List.of()));
                case 'N' -> push(NONE);
                case 0x88 -> push(true);
                case 0x89 -> push(false);
                case 'J' -> push((long) in.getInt(need(4)));
                case 'K' -> push((long) u8());
                case 'M' -> push((long) (in.getShort(need(2)) & 0xffff));
                case 0x8a -> push(long1(u8()));
                case 'G' -> push(ByteBuffer.wrap(bytes(8)).getDouble());
                case 'X' -> push(new String(bytes(length32()), StandardCharsets.UTF_8));
                case 0x8c -> push(new String(bytes(u8()), StandardCharsets.UTF_8));
                case 'T' -> push(new String(bytes(length32()), StandardCharsets.ISO_8859_1));
                case 'U' -> push(new String(bytes(u8()), StandardCharsets.ISO_8859_1));
                case 'B' -> push(bytes(length32()));
                case 'C' -> push(bytes(u8()));
                case 'q' -> memo.put((long) u8(), peek());
                case 'r' -> memo.put(u32(), peek());
                case 0x94 -> memo.put((long) memo.size(), peek());
                case 'h' -> push(memoGet(u8()));
                case 'j' -> push(memoGet(u32()));
                case 't' -> push(new Tuple(popMark()));
                case 0x85 -> push(new Tuple(List.of(pop())));
                case 0x86 -> {
                    Object b = pop();
                    push(new Tuple(List.of(pop(), b)));
                }
                case 0x87 -> {
                    Object c = pop();
                    Object b = pop();
                    push(new Tuple(List.of(pop(), b, c)));
                }
                case 'l' -> push(new ArrayList<>(popMark()));
                case 'd' -> push(dict(popMark()));
                case 'a' -> {
                    Object item = pop();
                    list(peek()).add(item);
                }
                case 'e' -> {
                    List<Object> items = popMark();
                    list(peek()).addAll(items);
                }
                case 's' -> {
                    Object value = pop();
                    Object key = pop();
                    map(peek()).put(key(key), value);
                }
                case 'u' -> {
                    List<Object> items = popMark();
                    map(peek()).putAll(dict(items));
                }
                case 'c' -> push(global(line(), line()));
                case 0x93 -> {
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw refuse("STACK_GLOBAL with a module or name that is not a string");
                    }
                    push(global(m, n));
                }
                case 'Q' -> push(persistent(pop()));
                case 'R' -> {
                    Object args = pop();
                    push(call(pop(), args));
                }
                case 'b' -> pop(); // BUILD: the state (an OrderedDict's _metadata) is not needed
                default ->
                    throw refuse("pickle opcode 0x" + Integer.toHexString(op)
                            + " is not part of a state_dict; refused (nothing was executed)");
            }
        }
    }

    private Object global(String module, String name) throws CheckpointFormatException {
        String qualified = module + "." + name;
        if (CALLABLES.contains(qualified) || (module.equals("torch") && STORAGES.containsKey(name))) {
            return new Global(module, name);
        }
        throw refuse("pickle refers to the global " + qualified + ", which a state_dict never needs; refused "
                + "(nothing was executed). Allowed: collections.OrderedDict, torch._utils._rebuild_tensor_v2, "
                + "torch._utils._rebuild_parameter, torch.*Storage");
    }

    private Object call(Object callable, Object args) throws CheckpointFormatException {
        if (!(callable instanceof Global g) || !(args instanceof Tuple t)) {
            throw refuse("pickle calls " + kind(callable) + ", which is not an allowed function");
        }
        List<Object> a = t.items();
        switch (g.qualified()) {
            case "collections.OrderedDict" -> {
                return new LinkedHashMap<>();
            }
            case "torch._utils._rebuild_parameter" -> {
                if (a.isEmpty()) {
                    throw refuse("_rebuild_parameter without a tensor");
                }
                return a.get(0);
            }
            case "torch._utils._rebuild_tensor_v2" -> {
                if (a.size() < 4) {
                    throw refuse("_rebuild_tensor_v2 with " + a.size() + " arguments");
                }
                return builder.tensor(
                        a.get(0),
                        integer(a.get(1), "storage offset"),
                        integers(a.get(2), "size"),
                        integers(a.get(3), "stride"));
            }
            default -> throw refuse("pickle calls " + g.qualified() + ", which is not a function; refused");
        }
    }

    private Object persistent(Object id) throws CheckpointFormatException {
        if (id instanceof Tuple t
                && t.items().size() == 5
                && "storage".equals(t.items().get(0))
                && t.items().get(1) instanceof Global g
                && STORAGES.containsKey(g.name())
                && t.items().get(2) instanceof String key) {
            return builder.storage(
                    STORAGES.get(g.name()), key, integer(t.items().get(4), "storage size"));
        }
        throw refuse("persistent id " + kind(id) + " is not a storage reference");
    }

    private long integer(Object value, String what) throws CheckpointFormatException {
        if (value instanceof Long v) {
            return v;
        }
        throw refuse(what + " " + kind(value) + " is not a 64-bit integer");
    }

    private long[] integers(Object value, String what) throws CheckpointFormatException {
        if (!(value instanceof Tuple t) || t.items().size() > 64) {
            throw refuse(what + " " + kind(value) + " is not a tuple of at most 64 integers");
        }
        long[] out = new long[t.items().size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = integer(t.items().get(k), what);
        }
        return out;
    }

    private Object long1(int length) throws CheckpointFormatException {
        byte[] b = bytes(length);
        byte[] bigEndian = new byte[Math.max(1, length)];
        for (int k = 0; k < length; k++) {
            bigEndian[length - 1 - k] = b[k];
        }
        BigInteger v = length == 0 ? BigInteger.ZERO : new BigInteger(bigEndian);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private Map<Object, Object> dict(List<Object> items) throws CheckpointFormatException {
        if (items.size() % 2 != 0) {
            throw refuse("dict with an odd number of items");
        }
        Map<Object, Object> m = new LinkedHashMap<>();
        for (int k = 0; k < items.size(); k += 2) {
            m.put(key(items.get(k)), items.get(k + 1));
        }
        return m;
    }

    /** A dict key: only atoms, so that hashing can never recurse through a self-referencing structure. */
    private Object key(Object k) throws CheckpointFormatException {
        if (k instanceof String || k instanceof Long || k instanceof Boolean || k instanceof Double || k == NONE) {
            return k;
        }
        throw refuse("dict key of type " + kind(k) + "; a state_dict's keys are strings or numbers");
    }

    /** A short description of a value for messages (never its contents, which may be self-referencing). */
    private static String kind(Object o) {
        if (o instanceof Global g) {
            return g.qualified();
        }
        if (o instanceof Tuple t) {
            return "a tuple of " + t.items().size();
        }
        if (o instanceof String || o instanceof Long || o instanceof Boolean || o == NONE) {
            return String.valueOf(o);
        }
        return "a " + o.getClass().getSimpleName();
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o) throws CheckpointFormatException {
        if (o instanceof List<?> l && !(o instanceof Tuple)) {
            return (List<Object>) l;
        }
        throw refuse("APPEND to something that is not a list");
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> map(Object o) throws CheckpointFormatException {
        if (o instanceof Map<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw refuse("SETITEM on something that is not a dict");
    }

    private List<Object> popMark() throws CheckpointFormatException {
        if (marks.isEmpty()) {
            throw refuse("pickle pops a MARK it never set");
        }
        int at = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(at, stack.size()));
        stack.subList(at, stack.size()).clear();
        return items;
    }

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop() throws CheckpointFormatException {
        int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
        if (stack.size() <= floor) {
            throw refuse("pickle pops from an empty stack");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() throws CheckpointFormatException {
        if (stack.isEmpty()) {
            throw refuse("pickle reads an empty stack");
        }
        return stack.get(stack.size() - 1);
    }

    private Object memoGet(long key) throws CheckpointFormatException {
        Object o = memo.get(key);
        if (o == null) {
            throw refuse("pickle refers to memo entry " + key + ", which it never stored");
        }
        return o;
    }

    private int u8() throws CheckpointFormatException {
        return in.get(need(1)) & 0xff;
    }

    /** A 4-byte unsigned memo index. */
    private long u32() throws CheckpointFormatException {
        return in.getInt(need(4)) & 0xffffffffL;
    }

    /** A 4-byte length of the bytes that follow, checked against what remains. */
    private int length32() throws CheckpointFormatException {
        long v = u32();
        if (v > in.remaining()) {
            throw refuse("pickle declares " + v + " bytes where " + in.remaining() + " remain");
        }
        return (int) v;
    }

    private byte[] bytes(int length) throws CheckpointFormatException {
        byte[] b = new byte[length];
        in.get(need(length), b);
        return b;
    }

    private void skip(int length) throws CheckpointFormatException {
        need(length);
    }

    private String line() throws CheckpointFormatException {
        int start = in.position();
        while (in.hasRemaining() && in.get() != '\n') {
            if (in.position() - start > 256) {
                throw refuse("pickle has a global name longer than 256 bytes");
            }
        }
        if (in.get(in.position() - 1) != '\n') {
            throw refuse("pickle ends inside a global name");
        }
        return new String(in.array(), start, in.position() - 1 - start, StandardCharsets.US_ASCII);
    }

    /** Advances past {@code length} bytes and returns where they start. */
    private int need(int length) throws CheckpointFormatException {
        if (length > in.remaining()) {
            throw refuse("pickle is truncated");
        }
        int at = in.position();
        in.position(at + length);
        return at;
    }

    private CheckpointFormatException refuse(String problem) {
        return new CheckpointFormatException(source, problem);
    }
}
