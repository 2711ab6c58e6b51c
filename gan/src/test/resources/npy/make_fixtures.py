"""Writes the .npy fixtures read by NpyReaderTest. Run from this folder: python3 make_fixtures.py"""
import numpy as np

# The array NpyReaderTest expects: 0.5 * k - 3 for k = 0..23, shape (2, 3, 4), C order.
values = (np.arange(24, dtype=np.float32) * 0.5 - 3).reshape(2, 3, 4)
np.save("numpy_f4_2x3x4.npy", values)
np.save("numpy_f4_vector.npy", np.array([1.5, -2.25, 3.0e-8], dtype="<f4"))
# Files the reader must reject, each for one reason.
np.save("numpy_f8.npy", values.astype(np.float64))
np.save("numpy_f4_fortran.npy", np.asfortranarray(values))
np.save("numpy_big_endian.npy", values.astype(">f4"))
