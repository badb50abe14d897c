package dev.specnorm.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/** A {@link ParameterStore} that answers one parameter with a given array and every other as {@code base} does. */
final class SubstitutedParameterStore extends ParameterStore {

    private final ParameterStore base;
    private final Parameter parameter;
    private final NDArray value;

    SubstitutedParameterStore(ParameterStore base, Parameter parameter, NDArray value) {
        this.base = base;
        this.parameter = parameter;
        this.value = value;
    }

    @Override
    public NDArray getValue(Parameter p, Device device, boolean training) {
        return p == parameter ? value : base.getValue(p, device, training);
    }

    @Override
    public NDManager getManager() {
        return base.getManager();
    }
}
