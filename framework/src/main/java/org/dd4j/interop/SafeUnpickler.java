package org.dd4j.interop;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.function.Function;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * Razorvine's unpickler with an allow-list of globals: the few that a {@code .pt} file of
 * tensors and plain containers names, each answered by Java code of ours. Any other global
 * (for example {@code posix.system}, which a pickle can call through {@code __reduce__}) is
 * refused before anything is built, naming it; so are the opcodes that build instances of
 * named classes (INST, OBJ, BUILD) and the extension registry (EXT1/2/4). Nothing from the
 * file is ever looked up as a Java or Python class.
 *
 * <p>Allowed: {@code torch._utils._rebuild_tensor_v2}, {@code torch._utils._rebuild_parameter},
 * {@code collections.OrderedDict}, and the storage classes {@code torch.FloatStorage},
 * {@code torch.DoubleStorage}, {@code torch.LongStorage} (others, e.g. {@code HalfStorage},
 * are recognized to report their dtype).
 */
final class SafeUnpickler extends Unpickler {

  /** A refused global or opcode; {@link TorchFile} turns it into a one-line error. */
  static final class Refused extends PickleException {
    private static final long serialVersionUID = 1L;

    private final String remedy;

    Refused(String problem, String remedy) {
      super(problem);
      this.remedy = remedy;
    }

    Refused(String problem) {
      this(problem, "dd4j never runs code from a file; save only tensors and plain"
          + " containers, e.g. torch.save([t.detach().cpu() for t in tensors], f)");
    }

    String remedy() {
      return remedy;
    }
  }

  /** A storage class named by the pickle, e.g. torch.FloatStorage. */
  record StorageClass(String name) {}

  /** A storage of the file: its class, key in the archive and element count. */
  record StorageRef(String storageClass, String key, long numel) {}

  private final Function<StorageRef, TorchTensor.StorageSource> storages;

  /**
   * @param storages opens the archive's storage of a persistent id (called once per id)
   */
  SafeUnpickler(Function<StorageRef, TorchTensor.StorageSource> storages) {
    this.storages = storages;
  }

  @Override
  protected Object dispatch(short key) throws PickleException, IOException {
    switch (key) {
      case Opcodes.GLOBAL -> {
        String module = PickleUtils.readline(input);
        String name = PickleUtils.readline(input);
        stack.add(resolve(module, name));
        return NO_RETURN_VALUE;
      }
      case Opcodes.STACK_GLOBAL -> {
        Object name = stack.pop();
        Object module = stack.pop();
        if (!(module instanceof String m) || !(name instanceof String n)) {
          throw new PickleException("STACK_GLOBAL without a module and name");
        }
        stack.add(resolve(m, n));
        return NO_RETURN_VALUE;
      }
      case Opcodes.INST, Opcodes.OBJ, Opcodes.BUILD, Opcodes.EXT1, Opcodes.EXT2,
          Opcodes.EXT4 -> throw new Refused("uses pickle opcode " + opcodeName(key)
          + ", which builds objects of arbitrary classes");
      default -> {
        return super.dispatch(key);
      }
    }
  }

  private static String opcodeName(short key) {
    return switch (key) {
      case Opcodes.INST -> "INST";
      case Opcodes.OBJ -> "OBJ";
      case Opcodes.BUILD -> "BUILD";
      default -> "EXT";
    };
  }

  private Object resolve(String module, String name) {
    String global = module + "." + name;
    switch (global) {
      case "torch._utils._rebuild_tensor_v2":
        return (IObjectConstructor) SafeUnpickler::rebuildTensor;
      case "torch._utils._rebuild_parameter":
        // (data, requires_grad, backward_hooks): the parameter's values are its data
        return (IObjectConstructor) args -> args[0];
      case "collections.OrderedDict":
        return (IObjectConstructor) args -> new LinkedHashMap<Object, Object>();
      default:
        if (module.equals("torch") && TorchDtype.isStorageClass(name)) {
          return new StorageClass(name);
        }
        throw new Refused("names the Python global " + global + ", which is not on dd4j's"
            + " allow-list (tensors, storages, lists, tuples, dicts, numbers, strings)");
    }
  }

  @Override
  protected Object persistentLoad(Object pid) {
    // ('storage', storage_class, key, location, numel)
    if (!(pid instanceof Object[] t) || t.length < 5 || !"storage".equals(t[0])
        || !(t[1] instanceof StorageClass c) || !(t[4] instanceof Number numel)) {
      throw new PickleException("a persistent id that is not a tensor storage");
    }
    Optional<String> unsupported = TorchDtype.unsupportedName(c.name());
    if (unsupported.isPresent()) {
      throw new Refused("holds a " + unsupported.get() + " tensor, and dd4j reads float32,"
          + " float64 and int64", "convert it in Python (e.g. t.float()) and save it again");
    }
    return storages.apply(new StorageRef(c.name(), String.valueOf(t[2]), numel.longValue()));
  }

  /** _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, hooks, ...). */
  private static Object rebuildTensor(Object[] args) {
    if (args.length < 4 || !(args[0] instanceof TorchTensor.StorageSource s)
        || !(args[1] instanceof Number offset)) {
      throw new PickleException("_rebuild_tensor_v2 with unexpected arguments");
    }
    long[] shape = longs(args[2]);
    long[] stride = longs(args[3]);
    try {
      return new TorchTensor(s.dtype(), shape, stride, offset.longValue(), s.numel(),
          s::read);
    } catch (IllegalArgumentException e) {
      throw new PickleException("a tensor " + e.getMessage());
    }
  }

  private static long[] longs(Object tuple) {
    if (!(tuple instanceof Object[] t)) {
      throw new PickleException("a tensor size or stride that is not a tuple");
    }
    long[] out = new long[t.length];
    for (int i = 0; i < t.length; i++) {
      if (!(t[i] instanceof Number n)) {
        throw new PickleException("a tensor size or stride with a non-integer entry");
      }
      out[i] = n.longValue();
    }
    return out;
  }
}
