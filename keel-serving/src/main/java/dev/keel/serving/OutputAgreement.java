package dev.keel.serving;

import dev.keel.serving.runtime.Tensor;
import dev.keel.serving.runtime.TensorData;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Whether a shadow said the same as the primary: the same outputs by name and shape, labels and
 * integers equal, floating-point values within a relative tolerance (two exports of one model,
 * or the same model on two runtimes, differ in the last bits and still agree).
 */
final class OutputAgreement {
    static final double TOLERANCE = 1e-4;

    private OutputAgreement() {
    }

    static boolean agree(List<Tensor> primary, List<Tensor> shadow) {
        if (primary.size() != shadow.size()) {
            return false;
        }
        for (int i = 0; i < primary.size(); i++) {
            Tensor a = primary.get(i);
            Tensor b = shadow.get(i);
            if (!a.name().equals(b.name()) || !Arrays.equals(a.shape(), b.shape()) || !agree(a.data(), b.data())) {
                return false;
            }
        }
        return true;
    }

    private static boolean agree(TensorData a, TensorData b) {
        if (a.length() != b.length()) {
            return false;
        }
        if (a instanceof TensorData.FloatData x && b instanceof TensorData.FloatData y) {
            for (int i = 0; i < x.values().length; i++) {
                if (!close(x.values()[i], y.values()[i])) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof TensorData.DoubleData x && b instanceof TensorData.DoubleData y) {
            for (int i = 0; i < x.values().length; i++) {
                if (!close(x.values()[i], y.values()[i])) {
                    return false;
                }
            }
            return true;
        }
        // integers, booleans and labels agree only when equal; data of two kinds never does
        return Objects.deepEquals(a.array(), b.array());
    }

    private static boolean close(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Double.isNaN(a) && Double.isNaN(b);
        }
        return a == b || Math.abs(a - b) <= TOLERANCE * Math.max(1.0, Math.max(Math.abs(a), Math.abs(b)));
    }
}
