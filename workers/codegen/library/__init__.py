"""The deployable library of a trained impulse: generated C (DSP, network, anomaly) behind one
header with `run_classifier`, packaged for the Arduino IDE, CMake, or as plain .tflite files."""

from workers.codegen.library.generator import GeneratedLibrary, LibraryRequest, generate_library, metadata_json
from workers.codegen.library.impulse_config import LibraryInputError, library_name, library_names
from workers.codegen.library.packaging import arduino_zip, cpp_zip, tflite_zip

__all__ = [
    "GeneratedLibrary",
    "LibraryInputError",
    "LibraryRequest",
    "arduino_zip",
    "cpp_zip",
    "generate_library",
    "library_name",
    "library_names",
    "metadata_json",
    "tflite_zip",
]
